import random

from kechuang.projects import dedup, synthetic
from kechuang.projects.models import ApplicationStatus
from kechuang.projects.services import do_endorse, do_formal_check, find_duplicates
from kechuang.projects.tests.test_services import apply, call, city_bureau, endorser, submitted  # noqa: F401

ORIGINAL = "研制适合丘陵地区的甘蔗收获机，突破切割、剥叶和输送关键技术。在崇左建设示范基地，推广面积一万亩。"
REWORDED = (
    "研发适用于丘陵地带的甘蔗收割机，攻克切割、剥叶与输送关键技术。于崇左建成示范基地，推广面积达一万亩。"
)
OTHER = "开发基于深度学习的水稻病虫害识别系统，实现田间实时监测与预警，服务全区稻农。"


def test_tokens_language_and_sentences():
    assert dedup.tokens("Deep Learning 水稻") == ["deep", "learning", "水", "稻"]
    assert dedup.language(ORIGINAL) == "zh-hans"
    assert dedup.language("A sugarcane harvester for hilly areas") == "en"
    assert len(dedup.sentences(ORIGINAL)) == 2


def test_copies_and_rewordings_found_unrelated_not():
    corpus = dedup.build([("a", ORIGINAL), ("b", OTHER)])
    hits = dedup.shingle_hits(
        [("x", ORIGINAL), ("y", REWORDED), ("z", "钦州港智能集装箱码头调度平台建设与应用。")], corpus
    )
    assert {(h.new, h.past) for h in hits} == {("x", "a"), ("y", "a")}
    assert next(h for h in hits if h.new == "x").score == 1.0
    passages = dedup.similar_passages(REWORDED, ORIGINAL)
    assert passages and "示范基地" in passages[0][0] and "示范基地" in passages[0][1]


def test_boilerplate_is_ignored_on_a_large_corpus():
    rng = random.Random(7)
    docs = [synthetic.make_doc(rng) for _ in range(400)]
    corpus = dedup.build((i, synthetic.chinese(d)) for i, d in enumerate(docs))
    assert corpus.common.size > 0
    fresh = [(f"f{k}", synthetic.chinese(synthetic.make_doc(rng))) for k in range(50)]
    planted = [(f"r{k}", synthetic.reworded(docs[k], rng)) for k in range(20)]
    hits = dedup.shingle_hits(fresh + planted, corpus)
    assert {(h.new, h.past) for h in hits} == {(f"r{k}", k) for k in range(20)}


def test_formal_check_shows_duplicate_with_passages(call, alice, bob, city_bureau, endorser, admin_user):  # noqa: F811
    first = submitted(call, alice, city_bureau, pi="甲", team=())
    second = apply(call, bob, city_bureau, pi="乙", team=(), title="甘蔗智能收获装备研制")
    second.summary = first.summary.replace("研制", "研发").replace("突破", "攻克")
    second.save(update_fields=["summary"])
    from kechuang.projects.services import do_sign_pledge, do_submit

    do_sign_pledge(second, acting_user=bob)
    do_submit(second, acting_user=bob)
    do_endorse(second, acting_user=endorser)
    found = find_duplicates(second)
    assert [d["id"] for d in found] == [first.pk]
    assert found[0]["kind"] == "shingles" and found[0]["passages"]
    second = do_formal_check(second, acting_user=admin_user)
    assert second.status == ApplicationStatus.FORMAL_FAILED
    dup = next(r for r in second.formal_reasons if r["code"] == "project_duplicate")
    assert dup["other"] == first.pk and dup["passages"]


def test_anchors_read_figures_in_either_language_and_in_words():
    from kechuang.projects import dedup_anchors

    zh = "研制样机三台，申请发明专利12件。重点研究桂糖42号、桂糖17号和粤丰5号品种。"
    en = "We will study the Guitang No. 42, Guitang No. 17 and Yuefeng No. 5 varieties. Three prototypes, 12 patents."
    assert sorted(dedup_anchors.anchored_sentences(zh)) == sorted(dedup_anchors.anchored_sentences(en))
    assert dedup_anchors.anchored_sentences("一种方法，一个平台。") == []  # 1 is never an anchor
    assert dedup_anchors.anchors("twenty-five staff and 10,000 mu") == ("10000", "25")


def test_translations_found_by_their_figures_siblings_and_fresh_texts_not():
    from kechuang.projects import dedup_anchors

    rng = random.Random(11)
    fields = [synthetic.field_slots(rng) for _ in range(300)]
    docs = [synthetic.make_eval_doc(rng, f) for f in fields]
    ids = list(range(len(docs)))
    corpus = dedup_anchors.build(
        ids, [dedup_anchors.features(synthetic.chinese(d)) for d in docs], ["zh-hans"] * len(docs)
    )
    planted = [(f"t{k}", synthetic.free_translation(docs[k], rng)) for k in range(30)]
    siblings = [
        (f"s{k}", synthetic.free_translation(synthetic.make_eval_doc(rng, fields[k]), rng)) for k in range(30)
    ]
    fresh = [(f"f{k}", synthetic.free_translation(synthetic.make_eval_doc(rng), rng)) for k in range(30)]
    same_language = [("c0", synthetic.chinese(docs[0]))]  # a copy is the shingles' business, not this path's
    hits = dedup_anchors.hits(planted + siblings + fresh + same_language, corpus)
    assert {(h.new, h.past) for h in hits} == {(f"t{k}", k) for k in range(30)}


def test_formal_check_finds_an_english_translation_of_a_chinese_application(
    admin_user,
    department,
    alice,
    bob,
    city_bureau,  # noqa: F811
    endorser,  # noqa: F811
):
    from kechuang.projects.testing import open_call
    from kechuang.projects.tests.test_lifecycle import submit

    project_call = open_call(admin_user, department)
    zh = submit(
        project_call,
        alice,
        city_bureau,
        endorser,
        pi="韦强",
        title="甘蔗收获机研制",
        summary="研制甘蔗收获机样机3台，切割损失降低到5%以下。重点研究桂糖42号、桂糖17号和粤糖93号品种的收获适应性。"
        "在崇左建设示范基地2个，推广面积12万亩。",
        fiscal=100 * 1_000_000,
    )
    en = submit(
        project_call,
        bob,
        city_bureau,
        endorser,
        pi="Huang Hai",
        title="Development of a sugarcane harvester",
        summary="A demonstration base will be built in Chongzuo: two bases, 12 ten-thousand mu. We will build three "
        "harvester prototypes and cut losses below 5%. We study harvest adaptability of the Guitang No. 42, "
        "Guitang No. 17 and Yuetang No. 93 varieties.",
        fiscal=100 * 1_000_000,
    )
    [found] = find_duplicates(en)
    assert found["id"] == zh.pk and found["kind"] == "translation"
    assert any("No. 42" in p["new"] and "42号" in p["other"] for p in found["passages"])
