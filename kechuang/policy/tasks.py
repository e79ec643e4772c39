"""Background jobs of the policy app: screening every organisation, with progress on /jobs/<id>/."""

from django.utils import translation

from kechuang.jobs.queue import job_handler
from kechuang.policy.models import ScreeningRun
from kechuang.policy.services import run_screening


@job_handler("policy.screen")
def screen_job(job):
    run = ScreeningRun.objects.get(pk=job.params["run_id"])
    with translation.override(job.params.get("language") or "zh-hans"):
        try:
            run = run_screening(run, progress=job.report_progress)
        except Exception:
            ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.FAILED)
            raise
    return {
        "run_id": run.pk,
        "organisations": run.organisations,
        "summary": run.summary,
        "duration_ms": run.duration_ms,
    }
