from datetime import timedelta

import pytest
from django.utils import timezone

from kechuang.jobs.models import Job
from kechuang.jobs.queue import (
    HANDLERS,
    ON_FAILURE,
    claim_next,
    enqueue,
    job_handler,
    recover_expired,
    run_job,
    run_pending,
    worker_name,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def handlers():
    saved, saved_failure = dict(HANDLERS), dict(ON_FAILURE)

    @job_handler("test.count")
    def count(job):
        for i in range(1, 4):
            job.report_progress(i, 3, "step")
        return {"sum": sum(job.params["numbers"])}

    @job_handler("test.fail")
    def fail(job):
        raise ValueError("bad input in row 7")

    yield
    HANDLERS.clear()
    HANDLERS.update(saved)
    ON_FAILURE.clear()
    ON_FAILURE.update(saved_failure)


def test_jobs_run_in_order_and_store_result_and_progress(handlers, alice):
    first = enqueue("test.count", params={"numbers": [1, 2, 3]}, acting_user=alice)
    second = enqueue("test.count", params={"numbers": [10]}, acting_user=alice)
    done = run_pending()
    assert [j.pk for j in done] == [first.pk, second.pk]
    first.refresh_from_db()
    assert first.status == Job.Status.SUCCEEDED and first.result == {"sum": 6} and first.percent == 100
    assert first.created_by == alice and first.finished_at is not None


def test_a_failing_job_is_recorded_and_does_not_stop_the_queue(handlers):
    failing = enqueue("test.fail")
    ok = enqueue("test.count", params={"numbers": [1]})
    run_pending()
    failing.refresh_from_db()
    ok.refresh_from_db()
    assert failing.status == Job.Status.FAILED and "row 7" in failing.message
    assert ok.status == Job.Status.SUCCEEDED


def test_a_claimed_job_cannot_be_claimed_again(handlers):
    enqueue("test.count", params={"numbers": []})
    assert claim_next() is not None
    assert claim_next() is None


def test_unknown_job_kind_is_refused_at_enqueue():
    with pytest.raises(ValueError, match="no handler registered"):
        enqueue("no.such.kind")


def test_progress_is_published_while_running(handlers):
    job = enqueue("test.count", params={"numbers": []})
    job.report_progress(5, 10, "halfway")
    assert Job.objects.get(pk=job.pk).percent == 50


def expire_lease(job, worker="elsewhere:1"):
    Job.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1), worker=worker
    )


def test_a_job_whose_worker_died_is_retried_after_its_lease_expires(handlers):
    job = enqueue("test.count", params={"numbers": [2, 3]})
    claimed = claim_next()
    assert claimed.attempts == 1 and claimed.lease_expires_at > timezone.now()
    assert recover_expired() == []  # the lease still holds
    expire_lease(job)
    [recovered] = recover_expired()
    assert recovered.status == Job.Status.QUEUED and recovered.worker == ""
    [done] = run_pending()
    assert done.pk == job.pk and done.status == Job.Status.SUCCEEDED and done.attempts == 2
    assert done.result == {"sum": 5} and done.lease_expires_at is None


def test_after_its_last_attempt_a_lost_job_fails_and_releases_what_it_held(handlers):
    released = []

    @job_handler("test.hold", on_failure=lambda job: released.append(job.pk))
    def hold(job):
        return {}

    job = enqueue("test.hold")
    Job.objects.filter(pk=job.pk).update(max_attempts=1)
    claim_next()
    expire_lease(job)
    [failed] = recover_expired()
    assert failed.status == Job.Status.FAILED and failed.finished_at is not None and failed.message
    assert released == [job.pk]
    assert run_pending() == []


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_new_attempt(handlers):
    job = enqueue("test.count", params={"numbers": [1]})
    first = claim_next()
    expire_lease(job)
    recover_expired()
    second = claim_next()
    assert second.attempts == 2
    run_job(first)  # the old worker finishes late: its outcome is not recorded
    second.refresh_from_db()
    assert second.status == Job.Status.RUNNING and second.attempts == 2


def test_a_live_worker_on_this_machine_keeps_its_job_even_if_its_heartbeat_is_late(handlers):
    job = enqueue("test.count", params={"numbers": [1]})
    claim_next()
    expire_lease(job, worker=worker_name())  # this very process: alive
    assert recover_expired() == []
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_progress_renews_the_lease(handlers, settings):
    settings.KECHUANG_JOBS_LEASE_SECONDS = 600
    job = enqueue("test.count", params={"numbers": []})
    claimed = claim_next()
    expire_lease(job)
    claimed.report_progress(1, 2)
    assert Job.objects.get(pk=job.pk).lease_expires_at > timezone.now() + timedelta(seconds=500)


def test_each_domain_job_kind_names_the_page_its_job_page_leads_back_to():
    """The queue names no domain app: the kinds register their own subject (the link back on the job page)."""
    from kechuang.jobs.queue import SUBJECTS

    assert {
        "policy.screen",
        "events.schedule",
        "registry.import",
        "pledge.subsidy_bases",
        "projects.formal_check",
        "projects.dedup_index",
        "kpi.refresh",
    } <= set(SUBJECTS)
    assert set(SUBJECTS) <= set(HANDLERS)


def test_a_job_of_a_kind_without_a_subject_has_no_link_back(handlers):
    from kechuang.jobs.queue import subject_of

    assert subject_of(enqueue("test.count", params={"numbers": []})) is None
