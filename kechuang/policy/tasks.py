"""Background jobs of the policy app: screening every organisation, with progress on /jobs/<id>/."""

from django.utils import translation

from kechuang.jobs.queue import job_handler, job_subject
from kechuang.policy.models import ScreeningRun
from kechuang.policy.services import release_failed_screening, run_screening


def screen_failed(job):
    release_failed_screening(job.params["run_id"])


@job_handler("policy.screen", on_failure=screen_failed)
def screen_job(job):
    """Safe to run again after a crash: the run's partial results are replaced, and the round's candidates are
    created once, in the transaction that marks the run done."""
    run = ScreeningRun.objects.get(pk=job.params["run_id"])
    with translation.override(job.params.get("language") or "zh-hans"):
        run = run_screening(run, progress=job.report_progress)
    return {
        "run_id": run.pk,
        "organisations": run.organisations,
        "summary": run.summary,
        "duration_ms": run.duration_ms,
    }


@job_subject("policy.screen")
def screen_subject(job):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    run = ScreeningRun.objects.select_related("round").filter(pk=job.params.get("run_id")).first()
    if run is None:
        return None
    if run.round_id:
        return {
            "label": _("回到批次：%(name)s") % {"name": run.round.name},
            "url": reverse("policy:round_detail", args=[run.round_id]),
        }
    return {"label": _("查看筛查结果"), "url": reverse("policy:screening_run", args=[run.pk])}
