"""Who follows which background job: region-wide officials every job; an official with an area (a city or a
county) their own, those of their area's organisations and those of their department's officials in that area —
not, e.g., a region-wide screening started at the provincial department; everyone else their own."""

from django.db.models import Q
from django.http import Http404

from kechuang.permissions.core import Cap, area_q, has_cap


def visible_jobs(user):
    from kechuang.jobs.models import Job

    if has_cap(user, Cap.JOBS_VIEW_ALL):
        if not user.city_id:
            return Job.objects.all()
        return Job.objects.filter(
            Q(created_by=user)
            | (area_q(user, "created_by__organisation__") & ~Q(created_by__organisation__kind="government"))
            | Q(created_by__organisation_id=user.organisation_id, created_by__city_id=user.city_id)
        )
    if not (user and user.is_authenticated):
        return Job.objects.none()
    return Job.objects.filter(created_by=user)


def access_job_by_id(user, job_id):
    job = visible_jobs(user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job
