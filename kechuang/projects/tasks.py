"""Background jobs of the programme projects, with progress on /jobs/<id>/: the formal check (with 查重) of a whole
call, and bringing the stored 查重 index up to date."""

from django.contrib.auth import get_user_model
from django.utils import translation

from kechuang.errors import DomainError
from kechuang.jobs.queue import job_handler, job_subject
from kechuang.projects.models import ApplicationStatus, ProjectCall


@job_handler("projects.formal_check")
def formal_check_job(job):
    """Each application is checked in its own transaction, so a retry after a crash only does what is left."""
    from kechuang.projects import dedup_index, services

    user = get_user_model().objects.get(pk=job.params["user_id"])
    call = ProjectCall.objects.get(pk=job.params["call_id"])
    with translation.override(job.params.get("language") or "zh-hans"):
        dedup_index.refresh()
        waiting = list(
            call.applications.filter(
                status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.ENDORSED)
            ).order_by("pk")
        )
        passed = failed = 0
        for n, app in enumerate(waiting, start=1):
            try:
                app = services.do_formal_check(app, acting_user=user)
            except DomainError:
                continue
            passed += app.status == ApplicationStatus.FORMAL_PASSED
            failed += app.status == ApplicationStatus.FORMAL_FAILED
            job.report_progress(n, len(waiting))
    return {"call_id": call.pk, "checked": len(waiting), "passed": passed, "failed": failed}


@job_handler("projects.dedup_index")
def dedup_index_job(job):
    from kechuang.projects import dedup_index

    written = dedup_index.refresh(progress=job.report_progress)
    return {"written": written}


@job_subject("projects.formal_check")
def formal_check_subject(job):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    call = ProjectCall.objects.filter(pk=job.params.get("call_id")).first()
    if call is None:
        return None
    return {
        "label": _("回到申报指南：%(name)s") % {"name": call.name},
        "url": reverse("projects:call", args=[call.pk]),
    }


@job_subject("projects.dedup_index")
def dedup_index_subject(job):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return {"label": _("回到科技计划项目"), "url": reverse("projects:home")}
