"""The rules live in kechuang/permissions/jobs.py (the one place that decides who may see what)."""

from kechuang.permissions.jobs import access_job_by_id, visible_jobs

__all__ = ["access_job_by_id", "visible_jobs"]
