from django.http import Http404

from kechuang.jobs.models import Job
from kechuang.permissions import Cap, has_cap


def visible_jobs(user):
    if has_cap(user, Cap.JOBS_VIEW_ALL):
        return Job.objects.all()
    return Job.objects.filter(created_by=user)


def access_job_by_id(user, job_id) -> Job:
    job = visible_jobs(user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job
