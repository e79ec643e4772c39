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
