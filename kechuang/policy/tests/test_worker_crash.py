"""A worker killed with SIGKILL in the middle of a screening: a second worker finishes it, once."""

import pytest

from kechuang.jobs.tests.workers import WorkerDatabase
from kechuang.policy import services
from kechuang.policy.models import Round

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers(tmp_path):
    db = WorkerDatabase(tmp_path)
    yield db
    db.stop()


def test_a_screening_whose_worker_was_killed_is_finished_by_another_worker(
    firms, make_round, reviewer, workers
):
    round_ = make_round()
    run = services.do_screen_round(round_, acting_user=reviewer)
    workers.publish()

    workers.kill_mid_job(run.job_id)
    job_status, attempts = workers.query(
        "SELECT status, attempts FROM jobs_job WHERE id = %s", (run.job_id,)
    )[0]
    assert (job_status, attempts) == ("running", 1)
    assert (
        workers.value("SELECT status FROM policy_round WHERE id = %s", (round_.pk,)) == Round.Status.SCREENING
    )
    assert workers.value("SELECT status FROM policy_screeningrun WHERE id = %s", (run.pk,)) != "done"

    output = workers.run_worker_once()
    assert f"job {run.job_id} policy.screen: succeeded" in output
    job_status, attempts = workers.query(
        "SELECT status, attempts FROM jobs_job WHERE id = %s", (run.job_id,)
    )[0]
    assert (job_status, attempts) == ("succeeded", 2)
    assert (
        workers.value("SELECT status FROM policy_round WHERE id = %s", (round_.pk,))
        == Round.Status.CITY_REVIEW
    )
    assert workers.value("SELECT status FROM policy_screeningrun WHERE id = %s", (run.pk,)) == "done"
    # the retry replaced any partial results and listed each candidate once
    results, distinct = workers.query(
        "SELECT COUNT(*), COUNT(DISTINCT organisation_id || ':' || policy_code) FROM policy_screeningresult "
        "WHERE run_id = %s",
        (run.pk,),
    )[0]
    assert results == distinct == 2 * len(round_.policy_codes)
    candidates, distinct = workers.query(
        "SELECT COUNT(*), COUNT(DISTINCT organisation_id || ':' || policy_code) FROM policy_candidate "
        "WHERE round_id = %s",
        (round_.pk,),
    )[0]
    assert candidates == distinct == 3  # acme: two rival policies (one superseded); globex: one
