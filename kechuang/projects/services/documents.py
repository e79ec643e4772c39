"""Attachments of an application (可行性研究报告, 预算说明书, …) and the call's eligibility: which documents a call
requires and which kinds of unit may apply. Missing documents and an ineligible unit are reasons of the formal
check; an ineligible unit cannot even draft."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.files import SAFE_TYPES
from kechuang.permissions.projects import can_edit_application
from kechuang.projects.errors import ProjectError
from kechuang.projects.models import Application, ApplicationStatus, Attachment, DocumentKind

__all__ = ["check_eligible", "do_attach", "missing_documents"]

ALLOWED_SUFFIXES = frozenset(SAFE_TYPES) - {".txt", ".csv"}


def check_eligible(call, unit) -> None:
    """A call that names the kinds of unit it is for refuses the others (`project_not_eligible`)."""
    kinds = list(call.eligible_kinds or ())
    if kinds and unit.kind not in kinds:
        raise DomainError(
            ProjectError.NOT_ELIGIBLE,
            _("本次申报仅限以下类型的单位：%(kinds)s。") % {"kinds": "、".join(_kind_names(kinds))},
            {"kinds": kinds},
            status=422,
        )


def _kind_names(kinds) -> list[str]:
    from kechuang.registry.models import OrganisationKind

    names = dict(OrganisationKind.choices)
    return [str(names.get(k, k)) for k in kinds]


def missing_documents(application: Application) -> list[str]:
    """The kinds the call requires (`ProjectCall.required_documents`) that the application has not attached."""
    have = set(application.attachments.values_list("kind", flat=True))
    return [k for k in application.call.required_documents or () if k not in have]


@transaction.atomic
def do_attach(application: Application, *, acting_user, kind: str, upload) -> Attachment:
    """Attach (or replace) the document of one kind while the application is a draft."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not can_edit_application(acting_user, application):
        raise PermissionDenied("projects.apply")
    if application.status != ApplicationStatus.DRAFT:
        raise StateError(_("只有填报中的申报书可以上传附件。"))
    if kind not in DocumentKind.values:
        raise DomainError(ErrorCode.INVALID, _("附件类型无效。"), {"field": "kind"}, status=422)
    name = PurePath(str(getattr(upload, "name", "") or "")).name[:200]
    if PurePath(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise DomainError(
            ErrorCode.INVALID,
            _("附件格式应为 PDF、Word、Excel、图片或压缩包。"),
            {"field": "file"},
            status=422,
        )
    size = getattr(upload, "size", 0) or 0
    if not 0 < size <= settings.KECHUANG_MAX_UPLOAD_BYTES:
        raise DomainError(ErrorCode.INVALID, _("附件为空或过大。"), {"field": "file"}, status=422)
    old = Attachment.objects.filter(application=application, kind=kind).first()
    if old is not None:
        storage, stale = old.file.storage, old.file.name
        old.delete()
        transaction.on_commit(lambda: storage.delete(stale))  # the file goes only if the replacement is kept
    attachment = Attachment.objects.create(
        application=application, kind=kind, file=upload, name=name, uploaded_by=acting_user
    )
    record(
        "projects.application.attach",
        application,
        acting_user=acting_user,
        organisation_id=application.unit_id,
        changes={f"attachment:{kind}": [old.name if old else None, name]},
    )
    return attachment
