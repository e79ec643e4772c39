"""A small database-backed job queue: enqueue from services, run in `manage.py run_jobs`.

It needs no server beyond the database, so it works the same on SQLite and PostgreSQL. A worker holds a lease on
the job it runs and renews it with a heartbeat; when a worker dies (killed, out of memory, machine lost), another
worker finds the expired lease, retries the job or, after its last attempt, fails it and lets the job's kind
release what it held (a policy round goes back to draft). Handlers must therefore be safe to run again.
"""

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.jobs.models import Job

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[[Job], dict | None]] = {}
ON_FAILURE: dict[str, Callable[[Job], None]] = {}
# What a job's page links back to and how it shows the result: declared by the app that owns the kind, so this
# lower layer names no domain app.
SUBJECTS: dict[str, Callable[[Job], dict | None]] = {}
RESULT_TEMPLATES: dict[str, str] = {}


def job_handler(kind: str, *, on_failure: Callable[[Job], None] | None = None):
    """Register `func(job) -> result dict` as the handler of jobs of `kind`.

    `on_failure(job)` runs once when a job of this kind ends failed (an error, or its worker died on the last
    attempt), to release the domain object the job held.
    """

    def register(func):
        if kind in HANDLERS and HANDLERS[kind] is not func:
            raise RuntimeError(f"two handlers for job kind {kind}")
        HANDLERS[kind] = func
        if on_failure is not None:
            ON_FAILURE[kind] = on_failure
        return func

    return register


def job_subject(kind: str, *, result_template: str = ""):
    """Register `func(job) -> {"label", "url"} | None`: the page the job works for, so that the job's page always
    leads back to it. `result_template` is included in the job's page to show a finished job's result."""

    def register(func):
        SUBJECTS[kind] = func
        if result_template:
            RESULT_TEMPLATES[kind] = result_template
        return func

    return register


def subject_of(job: Job) -> dict | None:
    find = SUBJECTS.get(job.kind)
    return find(job) if find is not None else None


def enqueue(kind: str, *, params: dict | None = None, label: str = "", acting_user=None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"no handler registered for job kind {kind}")
    creator = acting_user if acting_user is not None and acting_user.is_authenticated else None
    return Job.objects.create(kind=kind, params=params or {}, label=label, created_by=creator)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_until():
    return timezone.now() + timedelta(seconds=settings.KECHUANG_JOBS_LEASE_SECONDS)


def _worker_is_alive_here(worker: str) -> bool:
    """A worker on this machine whose process still exists keeps its job even if its heartbeat is late
    (e.g. waiting on SQLite's write lock); on other machines only the lease counts."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_expired() -> list[Job]:
    """Jobs whose worker died: retry them, or fail them after their last attempt and release what they held."""
    now = timezone.now()
    lost = Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, started_at__lt=now - timedelta(hours=1))
    )
    recovered = []
    for job in lost.order_by("id")[:50]:
        if _worker_is_alive_here(job.worker):
            continue
        previous = {"pk": job.pk, "status": Job.Status.RUNNING, "attempts": job.attempts}
        if job.attempts < job.max_attempts:
            changed = Job.objects.filter(**previous).update(
                status=Job.Status.QUEUED,
                worker="",
                lease_expires_at=None,
                message=_("执行该任务的进程已中断，正在重试（第 %(n)s 次）") % {"n": job.attempts + 1},
            )
        else:
            changed = Job.objects.filter(**previous).update(
                status=Job.Status.FAILED,
                lease_expires_at=None,
                finished_at=now,
                message=_("执行该任务的进程多次中断，任务已终止。"),
                error=f"worker {job.worker} stopped renewing its lease (attempt {job.attempts} of {job.max_attempts})",
            )
            if changed:
                job.refresh_from_db()
                _release(job)
        if changed:
            log.warning("job %s: worker %s lost its lease (attempt %s)", job.pk, job.worker, job.attempts)
            job.refresh_from_db()
            recovered.append(job)
    return recovered


def claim_next(kinds=None) -> Job | None:
    """Atomically move the oldest queued job to running with a fresh lease; safe with several workers on either
    database."""
    queued = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "id")
    if kinds:
        queued = queued.filter(kind__in=kinds)
    for job_id in queued.values_list("id", flat=True)[:5]:
        claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING,
            started_at=timezone.now(),
            worker=worker_name(),
            attempts=F("attempts") + 1,
            lease_expires_at=lease_until(),
        )
        if claimed:
            return Job.objects.get(pk=job_id)
    return None


class Heartbeat(threading.Thread):
    """Renews the lease of the job being run, every quarter of the lease, from its own database connection."""

    def __init__(self, job: Job):
        super().__init__(name=f"heartbeat-{job.pk}", daemon=True)
        self.job_id, self.attempts = job.pk, job.attempts
        self.stopped = threading.Event()

    def run(self):
        interval = max(0.05, settings.KECHUANG_JOBS_LEASE_SECONDS / 4)
        try:
            while not self.stopped.wait(interval):
                try:
                    Job.objects.filter(
                        pk=self.job_id, attempts=self.attempts, status=Job.Status.RUNNING
                    ).update(lease_expires_at=lease_until())
                except Exception:  # a busy database: try again at the next beat
                    log.warning("job %s: heartbeat failed", self.job_id, exc_info=True)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join()


def _release(job: Job) -> None:
    release = ON_FAILURE.get(job.kind)
    if release is None:
        return
    try:
        release(job)
    except Exception:
        log.exception("job %s: releasing what it held failed", job.pk)


def run_job(job: Job, *, heartbeat: bool = False) -> Job:
    handler = HANDLERS.get(job.kind)
    beat = Heartbeat(job) if heartbeat else None
    if beat is not None:
        beat.start()
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
    finally:
        if beat is not None:
            beat.stop()
    job.finished_at = timezone.now()
    job.lease_expires_at = None
    fields = ("status", "error", "message", "result", "progress_done", "finished_at", "lease_expires_at")
    kept = Job.objects.filter(pk=job.pk, attempts=job.attempts, status=Job.Status.RUNNING).update(
        **{name: getattr(job, name) for name in fields}
    )
    if not kept:  # the lease was lost meanwhile and another attempt owns the job now
        log.warning("job %s: lease lost before it finished; its outcome is not recorded", job.pk)
        job.refresh_from_db()
    elif job.status == Job.Status.FAILED:
        _release(job)
    return job


def run_pending(limit: int | None = None, kinds=None, *, heartbeat: bool = False) -> list[Job]:
    """Recover jobs of dead workers, then run queued jobs in this process until none are left (or `limit`)."""
    recover_expired()
    done: list = []
    while limit is None or len(done) < limit:
        job = claim_next(kinds)
        if job is None:
            break
        done.append(run_job(job, heartbeat=heartbeat))
    return done
