"""Synthetic bilingual application texts for the 查重 bench and tests: each text exists in Chinese, in a reworded
Chinese version (synonyms, other sentence order, an added sentence) and in English (the same content translated
phrase by phrase), so that planted duplicates of every kind can be generated with known ground truth."""

import random
import re

# (Chinese, Chinese synonym, English)
OBJECTS = [
    ("甘蔗收获机", "甘蔗收割机", "sugarcane harvester"),
    ("水稻病虫害识别系统", "稻田病虫害识别系统", "rice pest recognition system"),
    ("芒果保鲜技术", "芒果贮藏保鲜技术", "mango preservation technology"),
    ("铝合金轮毂", "铝合金车轮", "aluminium alloy wheel hub"),
    ("锂电池隔膜", "锂离子电池隔膜", "lithium battery separator"),
    ("桑蚕良种", "家蚕优良品种", "silkworm breed"),
    ("茶叶加工装备", "制茶装备", "tea processing equipment"),
    ("木薯乙醇工艺", "木薯制乙醇工艺", "cassava ethanol process"),
    ("北部湾海洋监测平台", "北部湾海洋观测平台", "Beibu Gulf ocean monitoring platform"),
    ("中药材种植技术", "药材栽培技术", "herbal medicine cultivation"),
    ("新能源汽车电驱系统", "新能源汽车电驱动系统", "electric drive system for new energy vehicles"),
    ("稀土永磁材料", "稀土永磁体材料", "rare earth permanent magnet material"),
    ("工业机器人控制器", "工业机器人控制装置", "industrial robot controller"),
    ("罗汉果提取物", "罗汉果提取产品", "monk fruit extract"),
    ("桉树人工林", "桉树林", "eucalyptus plantation"),
    ("边境口岸通关系统", "口岸通关信息系统", "border port clearance system"),
    ("智能电网调度", "电网智能调度", "smart grid dispatching"),
    ("生猪疫病防控", "生猪疾病防控", "pig disease prevention"),
    ("海水养殖装备", "海水养殖设施", "mariculture equipment"),
    ("碳酸钙新材料", "碳酸钙新型材料", "calcium carbonate material"),
]
METHODS = [
    ("深度学习", "深度神经网络", "deep learning"),
    ("物联网", "物联网络", "internet of things"),
    ("基因编辑", "基因组编辑", "gene editing"),
    ("低温等离子体", "冷等离子体", "low temperature plasma"),
    ("数字孪生", "数字孪生体", "digital twin"),
    ("北斗定位", "北斗卫星定位", "BeiDou positioning"),
    ("微生物发酵", "微生物发酵法", "microbial fermentation"),
    ("激光焊接", "激光焊", "laser welding"),
    ("膜分离", "膜分离法", "membrane separation"),
    ("机器视觉", "计算机视觉", "machine vision"),
    ("区块链", "区块链技术", "blockchain"),
    ("遥感监测", "遥感观测", "remote sensing"),
]
PROBLEMS = [
    ("切割损失大", "切割损耗高", "high cutting losses"),
    ("识别准确率低", "识别精度不足", "low recognition accuracy"),
    ("能耗偏高", "能源消耗较高", "high energy consumption"),
    ("成本居高不下", "成本过高", "persistently high cost"),
    ("产品一致性差", "产品稳定性不好", "poor product consistency"),
    ("人工依赖严重", "过度依赖人工", "heavy dependence on manual labour"),
    ("寿命较短", "使用寿命短", "short service life"),
    ("污染排放较多", "排放污染较重", "heavy polluting emissions"),
]
PLACES = [
    ("南宁", "南宁市", "Nanning"),
    ("柳州", "柳州市", "Liuzhou"),
    ("桂林", "桂林市", "Guilin"),
    ("百色", "百色市", "Baise"),
    ("钦州", "钦州市", "Qinzhou"),
    ("玉林", "玉林市", "Yulin"),
    ("崇左", "崇左市", "Chongzuo"),
    ("河池", "河池市", "Hechi"),
]
# sentence templates: (Chinese, reworded Chinese, English); {o} object {m} method {p} problem {c} place {n} number
TEMPLATES = [
    (
        "针对{o}{p}的问题，本项目采用{m}方法开展研究。",
        "为解决{o}{p}这一难题，项目拟利用{m}手段进行攻关。",
        "To address the {p} of the {o}, this project applies {m}.",
    ),
    (
        "研制{o}样机{n}台，关键指标达到国内先进水平。",
        "完成{o}样机{n}台的研制，主要指标国内领先。",
        "We will build {n} prototypes of the {o}, with key indicators at the advanced domestic level.",
    ),
    (
        "在{c}建设示范基地，推广应用面积{n}万亩。",
        "于{c}建成示范基地，推广面积达{n}万亩。",
        "A demonstration base will be set up in {c}, with {n} ten-thousand mu of application.",
    ),
    (
        "申请发明专利{n}件，制定地方标准{n}项。",
        "拟申请发明专利{n}项，并制定{n}项地方标准。",
        "We will file {n} invention patents and draft {n} local standards.",
    ),
    (
        "突破{m}与{o}融合的关键技术，形成成套解决方案。",
        "攻克{o}与{m}结合的核心技术，构建整体解决方案。",
        "We will break through key technologies combining {m} with the {o} and form a complete solution.",
    ),
    (
        "项目实施后预计新增产值{n}千万元，带动就业{n}百人。",
        "实施后可新增产值约{n}千万元，带动{n}百人就业。",
        "After implementation, output is expected to grow by {n} tens of millions of yuan, creating {n} hundred jobs.",
    ),
    (
        "建立{o}质量检测体系，解决{p}问题。",
        "构建{o}质量检测体系，克服{p}的不足。",
        "A quality testing system for the {o} will be established to solve the {p}.",
    ),
    (
        "联合{c}高校和企业组建创新联合体，培养技术骨干{n}名。",
        "与{c}的高校、企业共同组建创新联合体，培养{n}名技术骨干。",
        "An innovation consortium with universities and enterprises in {c} will train {n} technical staff.",
    ),
]
MODIFIERS = [
    ("高强度", "high-strength"),
    ("耐腐蚀", "corrosion-resistant"),
    ("低成本", "low-cost"),
    ("轻量化", "lightweight"),
    ("高通量", "high-throughput"),
    ("自适应", "adaptive"),
    ("多尺度", "multi-scale"),
    ("分布式", "distributed"),
    ("可降解", "degradable"),
    ("高精度", "high-precision"),
    ("智能化", "intelligent"),
    ("模块化", "modular"),
    ("无损", "non-destructive"),
    ("柔性", "flexible"),
    ("纳米", "nano"),
    ("绿色", "green"),
    ("在线", "online"),
    ("耐高温", "heat-resistant"),
    ("快速", "rapid"),
    ("协同", "collaborative"),
]
NOUNS = [
    ("复合材料", "composite material"),
    ("传感器", "sensor"),
    ("催化剂", "catalyst"),
    ("涂层", "coating"),
    ("检测方法", "detection method"),
    ("调控机制", "regulation mechanism"),
    ("控制算法", "control algorithm"),
    ("育种方法", "breeding method"),
    ("提取工艺", "extraction process"),
    ("预测模型", "prediction model"),
    ("诊断试剂", "diagnostic reagent"),
    ("加工工艺", "processing technique"),
    ("储能装置", "energy storage device"),
    ("评价体系", "evaluation system"),
    ("数据平台", "data platform"),
    ("驱动电机", "drive motor"),
    ("表征技术", "characterisation technique"),
    ("栽培模式", "cultivation model"),
    ("疫苗", "vaccine"),
    ("过滤膜", "filter membrane"),
]
# named things (varieties, materials, strains, models): two characters and a transliteration, as in 桂糖42号
CHARS = "桂糖粤丰华金银玉龙凤瑞祥安康泰兴隆盛昌宏远鑫源海峰林川江河山湖星辰光明德仁和顺达通"
SYLLABLES = [
    "gui",
    "tang",
    "yue",
    "feng",
    "hua",
    "jin",
    "yin",
    "yu",
    "long",
    "rui",
    "xiang",
    "an",
    "kang",
    "tai",
    "xing",
    "sheng",
    "chang",
    "hong",
    "yuan",
    "xin",
    "hai",
    "lin",
    "chuan",
    "jiang",
    "he",
    "shan",
    "hu",
    "chen",
    "guang",
    "ming",
    "de",
    "ren",
    "shun",
    "da",
    "tong",
    "fu",
    "bao",
    "hao",
    "wei",
    "zhi",
]


def named_term(rng: random.Random) -> tuple[str, str]:
    i, j, k = rng.randrange(len(CHARS)), rng.randrange(len(CHARS)), rng.randint(1, 99)
    m, n = rng.choice(MODIFIERS), rng.choice(NOUNS)
    zh = f"{CHARS[i]}{CHARS[j]}{k}号{m[0]}{n[0]}"
    en = f"{SYLLABLES[i % len(SYLLABLES)].title()}{SYLLABLES[j % len(SYLLABLES)]} No. {k} {m[1]} {n[1]}"
    return zh, en


DETAIL = ("重点研究{0}、{1}和{2}。", "着重研究{0}、{1}及{2}。", "The work focuses on {0}, {1} and {2}.")
EXTRA = (
    "此外，项目还将开展技术培训和成果宣传。",
    "In addition, the project will provide training and publicity.",
)


def make_doc(rng: random.Random) -> list[tuple[str, str, str]]:
    """One application as a list of filled sentences, each (Chinese, reworded Chinese, English)."""
    slots = {
        "o": rng.choice(OBJECTS),
        "m": rng.choice(METHODS),
        "p": rng.choice(PROBLEMS),
        "c": rng.choice(PLACES),
    }
    slots2 = {
        "o": rng.choice(OBJECTS),
        "m": rng.choice(METHODS),
        "p": rng.choice(PROBLEMS),
        "c": rng.choice(PLACES),
    }
    out = []
    for i, template in enumerate(rng.sample(TEMPLATES, 6)):
        s = slots if i % 2 == 0 else slots2
        n = str(rng.randint(2, 99))
        out.append(tuple(template[k].format(**{key: v[k] for key, v in s.items()}, n=n) for k in range(3)))
    for _ in range(3):
        terms = [named_term(rng) for _ in range(3)]
        zh = [t[0] for t in terms]
        en = [t[1] for t in terms]
        out.insert(
            rng.randrange(len(out) + 1), (DETAIL[0].format(*zh), DETAIL[1].format(*zh), DETAIL[2].format(*en))
        )
    return out


def chinese(doc) -> str:
    return "".join(s[0] for s in doc)


def reworded(doc, rng: random.Random) -> str:
    sentences = [s[1] if rng.random() < 0.7 else s[0] for s in doc]
    rng.shuffle(sentences)
    sentences.insert(rng.randrange(len(sentences) + 1), EXTRA[0])
    return "".join(sentences)


def english(doc) -> str:
    return " ".join(s[2] for s in doc)


# ---- the cross-language evaluation set (zh ↔ en) -------------------------------------------------------------------
# Harder than `english()`: numbers drawn the way targets are (mostly small), small numbers sometimes written out in
# either language, translations that reorder or drop sentences, and "siblings" — another project of the same unit in
# the same field (same object, method, problem and place) with other figures — as near misses that must not match.

NUMBER_WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    12: "twelve",
    15: "fifteen",
    20: "twenty",
}
CN_NUMERALS = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def realistic_number(rng: random.Random) -> int:
    """Target quantities: mostly small (2–10), sometimes up to 99."""
    return rng.randint(2, 10) if rng.random() < 0.6 else rng.randint(11, 99)


def field_slots(rng: random.Random) -> tuple[dict, dict]:
    def one():
        return {
            "o": rng.choice(OBJECTS),
            "m": rng.choice(METHODS),
            "p": rng.choice(PROBLEMS),
            "c": rng.choice(PLACES),
        }

    return one(), one()


def make_eval_doc(rng: random.Random, slots: tuple[dict, dict] | None = None) -> list[tuple[str, str, str]]:
    """Like `make_doc`, in a given field (`slots`), with realistic numbers and some written out in Chinese."""
    slots = slots or field_slots(rng)
    out = []
    for i, template in enumerate(rng.sample(TEMPLATES, 6)):
        s = slots[i % 2]
        n = realistic_number(rng)
        zh_n = CN_NUMERALS[n] if n in CN_NUMERALS and rng.random() < 0.3 else str(n)
        row = [template[k].format(**{key: v[k] for key, v in s.items()}, n=n) for k in range(3)]
        row[0] = template[0].format(**{key: v[0] for key, v in s.items()}, n=zh_n)
        out.append(tuple(row))
    for _ in range(3):
        terms = [named_term(rng) for _ in range(3)]
        zh = [t[0] for t in terms]
        en = [t[1] for t in terms]
        out.insert(
            rng.randrange(len(out) + 1), (DETAIL[0].format(*zh), DETAIL[1].format(*zh), DETAIL[2].format(*en))
        )
    return out


def _words(sentence: str, rng: random.Random) -> str:
    """Small numbers written out now and then (never a model number: "No. 7" stays)."""

    def swap(m):
        n = int(m.group(0))
        return NUMBER_WORDS[n] if n in NUMBER_WORDS and rng.random() < 0.5 else m.group(0)

    return re.sub(r"(?<!No\. )\b\d+\b", swap, sentence)


def free_translation(doc, rng: random.Random) -> str:
    """An English translation as a person writes it: half the time in another sentence order, sometimes a sentence
    left out, small numbers sometimes in words."""
    sentences = [_words(s[2], rng) for s in doc]
    if rng.random() < 0.5:
        rng.shuffle(sentences)
    if rng.random() < 0.3:
        sentences.pop(rng.randrange(len(sentences)))
    return " ".join(sentences)


def free_chinese(doc, rng: random.Random) -> str:
    """A Chinese translation of an English application: the reworded Chinese, sentence order kept."""
    return "".join(s[1] if rng.random() < 0.7 else s[0] for s in doc)
