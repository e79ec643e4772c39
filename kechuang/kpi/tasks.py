"""Background refresh of the KPI snapshots (`manage.py run_jobs`)."""

from django.utils import translation

from kechuang.jobs.queue import job_handler, job_subject
from kechuang.kpi.services import REFRESH_KIND, do_refresh_snapshot


@job_handler(REFRESH_KIND)
def refresh_job(job):
    """Safe to run again: each run adds a new snapshot; pages read the newest."""
    with translation.override(job.params.get("language") or "zh-hans"):
        snapshot = do_refresh_snapshot(int(job.params["year"]), job=job, progress=job.report_progress)
    return {"snapshot_id": snapshot.pk, "duration_ms": snapshot.duration_ms}


@job_subject(REFRESH_KIND)
def refresh_subject(job):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    year = job.params.get("year")
    return {
        "label": _("回到指标驾驶舱（%(year)s 年）") % {"year": year},
        "url": f"{reverse('kpi:dashboard')}?year={year}",
    }
