"""Background jobs of the policy app: screening every organisation, with progress on /jobs/<id>/."""

from django.utils import translation

from kechuang.jobs.queue import job_handler
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
