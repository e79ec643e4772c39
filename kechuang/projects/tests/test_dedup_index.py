"""The stored 查重 index: written at submission, rewritten only on changed text, refreshed incrementally."""


def test_stored_index_is_written_once_and_used_by_the_check(
    db, admin_user, department, alice, bob, city_bureau, endorser, reviewer
):
    from kechuang.projects import dedup_index
    from kechuang.projects.models import DedupEntry
    from kechuang.projects.services import do_formal_check, find_duplicates
    from kechuang.projects.testing import open_call
    from kechuang.projects.tests.test_lifecycle import submit

    call = open_call(admin_user, department, max_per_unit=5)
    summary = "研制适合丘陵地区的甘蔗收获机，突破切割、剥叶和输送关键技术，形成整机样机并开展田间试验。"
    a = submit(call, alice, city_bureau, endorser, pi="韦强", title="甘蔗收获机研制", summary=summary)
    entry = DedupEntry.objects.get(application=a)  # written at submission
    b = submit(call, bob, city_bureau, endorser, pi="黄海", title="甘蔗收获机研制与应用", summary=summary)
    assert DedupEntry.objects.count() == 2
    hits = find_duplicates(b)
    assert [h["id"] for h in hits] == [a.pk] and hits[0]["passages"]
    stamp = DedupEntry.objects.get(pk=entry.pk).updated_at
    assert dedup_index.index_application(a).updated_at == stamp  # unchanged text: not rewritten
    DedupEntry.objects.filter(application=a).delete()
    assert dedup_index.refresh() == 1  # incremental: only the missing row
    b = do_formal_check(b, acting_user=reviewer)
    assert [r["other"] for r in b.formal_reasons if r["code"] == "project_duplicate"] == [a.pk]
