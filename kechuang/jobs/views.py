from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.permissions.jobs import access_job_by_id, visible_jobs


def subject_of(job) -> dict | None:
    """The page the job works for, so its page always leads back to it: {"label", "url"} or None."""
    params = job.params or {}
    if job.kind == "policy.screen" and params.get("run_id"):
        from kechuang.policy.models import ScreeningRun

        run = ScreeningRun.objects.select_related("round").filter(pk=params["run_id"]).first()
        if run is None:
            return None
        if run.round_id:
            return {
                "label": _("回到批次：%(name)s") % {"name": run.round.name},
                "url": reverse("policy:round_detail", args=[run.round_id]),
            }
        return {"label": _("查看筛查结果"), "url": reverse("policy:screening_run", args=[run.pk])}
    if job.kind == "events.schedule" and params.get("event_id"):
        return {"label": _("回到活动管理"), "url": reverse("events:manage", args=[params["event_id"]])}
    if job.kind == "registry.import":
        return {"label": _("查看机构登记"), "url": reverse("registry:organisation_list")}
    if job.kind == "pledge.subsidy_bases":
        url = reverse("pledge:subsidies")
        return {
            "label": _("回到质押融资补助"),
            "url": f"{url}?year={params['year']}" if params.get("year") else url,
        }
    if job.kind.startswith("techmarket."):
        return {"label": _("回到技术交易市场"), "url": reverse("techmarket:home")}
    return None


@login_required
def job_list(request):
    page = Paginator(visible_jobs(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_detail(request, job_id: int):
    job = access_job_by_id(request.user, job_id)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    return render(request, template, {"job": job, "subject": subject_of(job)})
