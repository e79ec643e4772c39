"""A small database-backed job queue: enqueue from services, run in `manage.py run_jobs`.

It needs no server beyond the database, so it works the same on SQLite and PostgreSQL.
"""

import logging
import os
import socket
import traceback
from collections.abc import Callable

from django.utils import timezone

from kechuang.jobs.models import Job

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[[Job], dict | None]] = {}


def job_handler(kind: str):
    """Register `func(job) -> result dict` as the handler of jobs of `kind`."""

    def register(func):
        if kind in HANDLERS and HANDLERS[kind] is not func:
            raise RuntimeError(f"two handlers for job kind {kind}")
        HANDLERS[kind] = func
        return func

    return register


def enqueue(kind: str, *, params: dict | None = None, label: str = "", acting_user=None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"no handler registered for job kind {kind}")
    creator = acting_user if acting_user is not None and acting_user.is_authenticated else None
    return Job.objects.create(kind=kind, params=params or {}, label=label, created_by=creator)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next(kinds=None) -> Job | None:
    """Atomically move the oldest queued job to running; safe with several workers on either database."""
    queued = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "id")
    if kinds:
        queued = queued.filter(kind__in=kinds)
    for job_id in queued.values_list("id", flat=True)[:5]:
        claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=timezone.now(), worker=worker_name()
        )
        if claimed:
            return Job.objects.get(pk=job_id)
    return None


def run_job(job: Job) -> Job:
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise RuntimeError(f"no handler registered for job kind {job.kind}")
        result = handler(job) or {}
    except Exception as exc:  # a failed job is recorded, never lost, and never stops the worker
        log.exception("job %s failed", job.pk)
        job.status = Job.Status.FAILED
        job.error = f"{exc}\n\n{traceback.format_exc()}"[:20000]
        job.message = str(exc)[:255]
    else:
        job.status = Job.Status.SUCCEEDED
        job.result = result
        job.progress_done = max(job.progress_done, job.progress_total)
    job.finished_at = timezone.now()
    job.save()
    return job


def run_pending(limit: int | None = None, kinds=None) -> list[Job]:
    """Run queued jobs in this process until none are left (or `limit` have run)."""
    done = []
    while limit is None or len(done) < limit:
        job = claim_next(kinds)
        if job is None:
            break
        done.append(run_job(job))
    return done
