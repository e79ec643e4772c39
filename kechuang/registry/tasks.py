"""Background jobs of the registry: large imports run in the worker with progress shown in the page."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from kechuang.errors import DomainError
from kechuang.jobs.queue import enqueue, job_handler, job_subject
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


def enqueue_import(upload, kind: str, valid_rows_only: bool, user):
    """Keep the upload in the media folder and queue its import (the page and the API both start one here)."""
    directory = settings.MEDIA_ROOT / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    path = directory / f"{uuid.uuid4().hex}{suffix[:6]}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return enqueue(
        "registry.import",
        params={
            "path": str(path),
            "filename": upload.name[:200],
            "kind": kind,
            "valid_rows_only": valid_rows_only,
            "user_id": user.pk,
            "language": translation.get_language(),
        },
        label=_("导入 %(filename)s") % {"filename": upload.name[:100]},
        acting_user=user,
    )


@job_subject("registry.import", result_template="registry/_import_result.html")
def import_subject(job):
    from django.urls import reverse

    return {"label": _("查看机构登记"), "url": reverse("registry:organisation_list")}
