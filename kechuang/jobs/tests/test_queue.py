import pytest

from kechuang.jobs.models import Job
from kechuang.jobs.queue import HANDLERS, claim_next, enqueue, job_handler, run_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def handlers():
    saved = dict(HANDLERS)

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
    with pytest.raises(ValueError):
        enqueue("no.such.kind")


def test_progress_is_published_while_running(handlers):
    job = enqueue("test.count", params={"numbers": []})
    job.report_progress(5, 10, "halfway")
    assert Job.objects.get(pk=job.pk).percent == 50
