"""The bundled evaluation set.

- 30 Chinese achievements (科技成果) that are the right answers, 9 of them with an English version the owner
  provided (as owners on the real platform often do) — no machine translation anywhere;
- 20 Chinese distractor achievements on neighbouring topics (same crops, same industries), so that finding the
  right one is not trivial;
- for each right answer, one demand written independently in each of zh-Hans, en, vi, th, id, ms, fil, km, lo,
  my (30 queries per language, 300 in all).

The candidate pool is exactly the listings with the rows their owners wrote.
"""

from kechuang.techmarket.eval.pairs_a import PAIRS_A
from kechuang.techmarket.eval.pairs_b import PAIRS_B

PAIRS = PAIRS_A + PAIRS_B
QUERY_LANGUAGES = ("zh-hans", "en", "vi", "th", "id", "ms", "fil", "km", "lo", "my")

DISTRACTORS = [
    (
        "甘蔗脱毒健康种苗组培快繁技术",
        "利用茎尖脱毒和组织培养快繁甘蔗健康种苗，宿根年限延长2年，亩产提高1.5吨。",
    ),
    ("甘蔗制糖膜法澄清工艺", "以陶瓷膜替代亚硫酸法澄清蔗汁，生产无硫白砂糖，色值降低50%。"),
    (
        "木薯变性淀粉绿色生产技术",
        "采用干法改性工艺生产木薯醋酸酯淀粉和交联淀粉，无废水排放，用于造纸和食品。",
    ),
    ("电解铝节能降耗新型阴极技术", "采用异形阴极结构降低铝电解槽电压，吨铝直流电耗降低300千瓦时。"),
    ("新能源汽车永磁同步电机控制器", "基于碳化硅功率器件的电机控制器，峰值效率98.5%，功率密度提升30%。"),
    ("退役动力电池梯次利用与回收", "退役锂电池快速分选、重组用于储能，湿法回收锂钴镍回收率95%以上。"),
    ("天然橡胶乳胶手套浸渍生产线", "全自动双手模乳胶手套浸渍线，每小时产能3万只，能耗降低20%。"),
    ("水稻种子丸粒化包衣技术", "水稻种子丸粒化包衣适合无人机直播，出苗率提高15%，节省用种。"),
    ("对虾白斑综合征病毒快速检测试剂盒", "恒温扩增技术，30分钟现场检测对虾白斑病毒，灵敏度与PCR相当。"),
    ("5G基站智能节电系统", "根据话务量预测自动关断载频和通道，单站节电15%，不影响用户体验。"),
    ("芒果热风-微波联合干燥技术", "芒果片干燥时间缩短60%，保持色泽和维生素C，适合百色芒果深加工。"),
    ("香蕉组培苗工厂化生产", "香蕉组培苗年产5000万株，变异率低于1%，带毒率为零。"),
    ("茶园病虫害绿色防控技术", "性诱剂、色板与生物农药结合防治茶小绿叶蝉，化学农药减量50%。"),
    ("竹材重组材户外地板制造技术", "竹束热处理与酚醛树脂浸渍，户外使用寿命15年以上，防腐防霉。"),
    ("港口集装箱智能理货系统", "基于计算机视觉识别箱号和残损，理货准确率99.9%，减少人工理货员。"),
    ("钦州大蚝单体苗人工繁育技术", "香港牡蛎三倍体单体苗规模化繁育，生长期缩短一年，肉质肥满。"),
    ("光伏逆变器高温降额优化技术", "改进散热与功率器件布局，在45℃环境下输出功率不降额，适合热带电站。"),
    ("中药材三七连作障碍消减技术", "土壤熏蒸与微生物菌剂修复三七连作土壤，存苗率由30%提高到80%。"),
    ("农村生活污水一体化处理设备", "小型一体化A/O+MBR设备，出水达到一级A标准，低能耗免维护。"),
    ("桑枝食用菌栽培基质技术", "以桑枝条粉碎替代木屑栽培黑木耳和香菇，降低原料成本30%。"),
]


def achievements() -> list[dict]:
    """[{id, rows: {language: (title, summary)}, target: bool}] — the candidate pool."""
    pool = []
    for pair in PAIRS:
        rows = {"zh-hans": pair["zh"]}
        if "en" in pair:
            rows["en"] = pair["en"]
        pool.append({"id": pair["id"], "rows": rows, "target": True})
    for i, (title, summary) in enumerate(DISTRACTORS, 1):
        pool.append({"id": f"distractor-{i}", "rows": {"zh-hans": (title, summary)}, "target": False})
    return pool


def queries() -> list[dict]:
    """[{language, text, answer}] — one per demand."""
    out = []
    for pair in PAIRS:
        for lang in QUERY_LANGUAGES:
            out.append({"language": lang, "text": pair["demands"][lang], "answer": pair["id"]})
    return out


def achievement_texts() -> list[str]:
    return [f"{title}。{summary}" for item in achievements() for title, summary in item["rows"].values()]
