from datetime import datetime

from ninja import Router, Schema

from kechuang.bounds import Id
from kechuang.permissions.jobs import access_job_by_id

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    percent: int
    progress_done: int
    progress_total: int
    message: str
    result: dict
    created_at: datetime
    finished_at: datetime | None


@router.get("/{job_id}", response=JobOut, summary="Status and progress of a background job")
def get_job(request, job_id: Id):
    return access_job_by_id(request.auth, job_id)
