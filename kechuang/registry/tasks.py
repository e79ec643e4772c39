"""Background jobs of the registry: large imports run in the worker with progress shown in the page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import translation

from kechuang.errors import DomainError
from kechuang.jobs.queue import job_handler
from kechuang.registry.importing import run_import


@job_handler("registry.import")
def import_job(job):
    params = job.params
    user = get_user_model().objects.filter(pk=params.get("user_id")).first()
    with translation.override(params.get("language") or "zh-hans"):
        try:
            report = run_import(
                Path(params["path"]),
                params["filename"],
                params["kind"],
                valid_rows_only=params.get("valid_rows_only", False),
                acting_user=user,
                progress=lambda done, total, message="": job.report_progress(
                    done, total, message or translation.gettext("正在校验…")
                ),
            )
        except DomainError as exc:
            return {
                "fatal": str(exc.message),
                "code": exc.code.value,
                "applied": False,
                "errors": [],
                "error_count": 1,
            }
        finally:
            Path(params["path"]).unlink(missing_ok=True)
    return report.as_dict()
