"""A worker killed with SIGKILL in the middle of an import: the job does not stay "running"; a second worker
imports the file, once."""

import os

import pytest

from kechuang.jobs.queue import enqueue
from kechuang.jobs.tests.workers import WorkerDatabase
from kechuang.registry.tests.test_import import ORG_HEADER, org_row
from kechuang.testing import unique_credit_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers(tmp_path):
    db = WorkerDatabase(tmp_path)
    yield db
    db.stop()


def test_an_import_whose_worker_was_killed_is_finished_by_another_worker(tmp_path, reviewer, workers):
    codes = [unique_credit_code("450103") for _ in range(40)]
    path = tmp_path / "orgs.csv"
    lines = [",".join(ORG_HEADER)] + [
        ",".join(org_row(code, f"南宁示例{i}科技有限公司")) for i, code in enumerate(codes)
    ]
    # the upload is still arriving (a pipe nobody writes to yet): the first worker is held mid-import
    os.mkfifo(path)
    job = enqueue(
        "registry.import",
        params={"path": str(path), "filename": "orgs.csv", "kind": "organisations", "user_id": reviewer.pk},
        acting_user=reviewer,
    )
    workers.publish()

    workers.kill_mid_job(job.pk)
    assert workers.query("SELECT status, attempts FROM jobs_job WHERE id = %s", (job.pk,)) == [("running", 1)]
    placeholders = ", ".join(["%s"] * len(codes))
    count = f"SELECT COUNT(*) FROM registry_organisation WHERE credit_code IN ({placeholders})"
    assert workers.value(count, codes) == 0

    path.unlink()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # the upload, complete this time
    output = workers.run_worker_once()
    assert f"job {job.pk} registry.import: succeeded" in output
    assert workers.query("SELECT status, attempts FROM jobs_job WHERE id = %s", (job.pk,)) == [
        ("succeeded", 2)
    ]
    assert workers.value(count, codes) == len(codes)
    assert not path.exists()  # the upload is removed once the import has run
