"""The index keeps up: an approval adds one journal entry that every process applies, no full reload."""

from kechuang.jobs.queue import run_pending
from kechuang.techmarket.indexing import (
    JOURNAL,
    catch_up,
    get_index,
    index_dir,
    load_index,
    read_entry,
    read_manifest,
)
from kechuang.techmarket.models import Match

from .conftest import publish


def test_approval_is_one_journal_entry_applied_by_every_process(professor, reviewer, alice):
    first = publish(professor, reviewer)
    run_pending()
    manifest = read_manifest(index_dir())
    assert (
        manifest["base"] and manifest["generation"] == manifest["base_generation"]
    )  # first sync: a snapshot
    web = load_index()  # another process, loaded from the snapshot
    assert first.pk in web.searcher.rows_of
    demand = publish(
        alice,
        reviewer,
        kind="demand",
        language="vi",
        title="Cần công nghệ lên men cồn từ sắn",
        summary="Nhà máy cần công nghệ sản xuất ethanol từ sắn tiết kiệm năng lượng.",
        patents=[],
    )
    run_pending()
    manifest = read_manifest(index_dir())
    assert manifest["generation"] == web.generation + 1 and manifest["base"] == web.base
    removed, rows = read_entry(index_dir() / JOURNAL / f"{manifest['generation']:09d}.npz")
    assert removed == [demand.pk] and {r["listing_id"] for r in rows} == {demand.pk}  # only what changed
    assert rows[0]["tokens"] and rows[0]["vector"].shape == (384,)
    assert catch_up(web, manifest) and web.generation == manifest["generation"]
    assert web.searcher.by_kind["demand"] == {demand.pk}
    hits = web.searcher.search("công nghệ lên men cồn từ sắn", kind="achievement")
    assert hits[0].listing_id == first.pk
    assert get_index().generation == manifest["generation"]
    # one match row for the pair, ranked by both sides' refreshes
    match = Match.objects.get(demand=demand, achievement=first)
    assert match.demand_rank == 1 and match.achievement_rank == 1
    assert Match.objects.count() == 1


def test_near_duplicate_warned_to_owner_and_reviewer_not_to_others(
    login, client, professor, reviewer, alice, bob
):
    from django.urls import reverse

    from kechuang.techmarket import services

    from .conftest import ACHIEVEMENT

    original = publish(professor, reviewer)
    run_pending()
    copy = services.do_create_listing(
        acting_user=alice,
        **{
            **ACHIEVEMENT,
            "summary": "以鲜木薯为原料，采用耐高温酵母浓醪同步糖化发酵，乙醇浓度达15%，吨乙醇能耗降低20%。",
            "patents": [],
        },
    )
    url = reverse("techmarket:detail", args=[copy.pk])
    for user in (alice, reviewer):
        login(user)
        body = client.get(url).content.decode()
        assert 'id="near-duplicates"' in body and f"/market/{original.pk}/" in body
    login(professor)
    assert client.get(url).status_code == 404  # a pending listing of someone else: not visible at all
    other = services.do_create_listing(
        acting_user=bob,
        **{**ACHIEVEMENT, "title": "榴莲液氮速冻保鲜", "summary": "榴莲果肉液氮速冻。", "patents": []},
    )
    login(bob)
    assert (
        'id="near-duplicates"'
        not in client.get(reverse("techmarket:detail", args=[other.pk])).content.decode()
    )


def test_bulk_approvals_batch_into_one_index_job_and_one_journal_entry(professor, reviewer):
    from kechuang.jobs.models import Job

    first = publish(professor, reviewer)
    run_pending()
    generation = read_manifest(index_dir())["generation"]
    approved = [
        publish(
            professor,
            reviewer,
            title=f"甘蔗机械化收获技术第{i}代",
            summary=f"第{i}代甘蔗收获机，作业效率提高{i}倍。",
        )
        for i in range(2, 6)
    ]
    queued = Job.objects.filter(kind="techmarket.index", status=Job.Status.QUEUED)
    assert queued.count() == 1  # the later approvals joined the queued job
    assert set(queued.get().params["listing_ids"]) == {listing.pk for listing in approved}
    run_pending()
    manifest = read_manifest(index_dir())
    assert manifest["generation"] == generation + 1  # one journal entry for the whole batch
    _removed, rows = read_entry(index_dir() / JOURNAL / f"{manifest['generation']:09d}.npz")
    assert {r["listing_id"] for r in rows} == {listing.pk for listing in approved}
    index = get_index()
    assert {first.pk, *(listing.pk for listing in approved)} <= set(index.searcher.rows_of)
