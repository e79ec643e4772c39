"""Recognition of new-type R&D and technology-transfer institutions: application checked against the criteria in
force (every criterion explained) → city recommendation → formal check → expert review and site visit on
`kechuang.review` → department decision → public notice in working days → recognition number; and research
institutes entered into the classified evaluation."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.core import department_of
from kechuang.permissions.platforms import PlatformCap, can_apply, can_recommend
from kechuang.platforms import criteria as crit
from kechuang.platforms import rules
from kechuang.platforms.errors import PlatformError
from kechuang.platforms.models import (
    ApplicationStatus,
    Institution,
    InstitutionApplication,
    InstitutionKind,
)
from kechuang.platforms.services.common import FIGURE_FIELDS, FIGURE_NAMES, _require_manager
from kechuang.workdays import add_working_days


def _figures(organisation, raw: dict) -> dict:
    """The application's figures (self-declared) with the registry's facts (legal entity in Guangxi, established)."""
    out = {}
    for key in FIGURE_FIELDS:
        value = raw.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 10**15:
            raise DomainError(
                ErrorCode.INVALID,
                _("“%(name)s”应为非负整数。") % {"name": FIGURE_NAMES[key]},
                {"field": key},
                422,
            )
        out[key] = value
    out["legal_entity_in_guangxi"] = int(organisation.credit_code[2:4] == "45" and organisation.is_active)
    if organisation.established_on:
        out["established_on"] = organisation.established_on
    return out


def _jsonable(figures: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in figures.items()}


def check_criteria(kind: str, organisation, raw: dict, on: dt.date) -> tuple[dict, list[crit.Line], dict]:
    spec = rules.recognition(kind, on)
    figures = _figures(organisation, raw)
    return spec, crit.check(spec, figures, on), figures


@transaction.atomic
def do_apply_institution(
    *, acting_user, kind: str, figures: dict, today: dt.date | None = None
) -> InstitutionApplication:
    """The organisation applies; refused with the reasons when figures are missing or a criterion is not met."""
    if not can_apply(acting_user):
        raise PermissionDenied(PlatformCap.APPLY)
    if kind not in (InstitutionKind.NEW_RD, InstitutionKind.TRANSFER):
        raise DomainError(ErrorCode.INVALID, _("认定类型无效。"), {"field": "kind"}, 422)
    today = today or timezone.localdate()
    org = acting_user.organisation
    spec, lines, values = check_criteria(kind, org, figures, today)
    missing = sorted({m for line in lines if line.passed is None for m in line.missing})
    if missing:
        raise DomainError(
            PlatformError.EVIDENCE_MISSING,
            _("缺少认定所需的数据：%(names)s。")
            % {"names": "、".join(str(FIGURE_NAMES.get(m, m)) for m in missing)},
            {"missing": missing},
            status=422,
        )
    failed = [line for line in lines if line.passed is False]
    if failed:
        raise DomainError(
            PlatformError.CRITERIA_NOT_MET,
            _("不符合认定条件：%(lines)s") % {"lines": "；".join(line.text for line in failed)},
            {"failed": [line.code for line in failed]},
            status=422,
        )
    live = InstitutionApplication.objects.filter(organisation=org, kind=kind).exclude(
        status__in=(
            ApplicationStatus.NOT_RECOMMENDED,
            ApplicationStatus.FORMAL_FAILED,
            ApplicationStatus.REJECTED,
        )
    )
    if live.exists() or Institution.objects.filter(organisation=org, kind=kind).exists():
        raise DomainError(PlatformError.ALREADY, _("本机构已申请或已获得该项认定。"), status=409)
    app = InstitutionApplication.objects.create(
        kind=kind,
        organisation=org,
        year=today.year,
        figures=_jsonable(values),
        criteria=[
            {"code": line.code, "passed": line.passed, "text": line.text, "confidence": line.confidence}
            for line in lines
        ],
        rules_version=spec["version"],
        created_by=acting_user,
    )
    record("platforms.apply", app, acting_user=acting_user, organisation_id=org.pk, changes={"kind": kind})
    return app


def _locked(app, *expected) -> InstitutionApplication:
    app = (
        InstitutionApplication.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=app.pk)
    )
    if expected and app.status not in expected:
        raise StateError(_("当前状态为“%(status)s”，不能执行此操作。") % {"status": app.get_status_display()})
    return app


@transaction.atomic
def do_recommend(app, *, acting_user, recommended: bool, note: str = "") -> InstitutionApplication:
    app = _locked(app, ApplicationStatus.SUBMITTED)
    if not can_recommend(acting_user, app):
        raise PermissionDenied(PlatformCap.RECOMMEND)
    if not recommended and not note.strip():
        raise DomainError(ErrorCode.INVALID, _("不推荐时请写明理由。"), {"field": "note"}, 422)
    old = app.status
    app.status = ApplicationStatus.RECOMMENDED if recommended else ApplicationStatus.NOT_RECOMMENDED
    app.city_note = note.strip()[:300]
    app.save(update_fields=["status", "city_note"])
    record(
        "platforms.recommend",
        app,
        acting_user=acting_user,
        organisation_id=app.organisation_id,
        changes={"status": [old, app.status]},
    )
    return app


def _review_process(year: int, acting_user):
    from kechuang.review import services as review
    from kechuang.review.models import ReviewProcess, Rubric, StageKind

    name = _("%(year)s 年度新型研发机构和技术转移示范机构认定评审") % {"year": year}
    process = ReviewProcess.objects.filter(name=name).first()
    if process is not None:
        return process
    department = department_of(acting_user) if acting_user is not None else None
    if department is None:
        from kechuang.registry.models import DepartmentType, Organisation

        department = (
            Organisation.objects.filter(department_type=DepartmentType.SCIENCE).order_by("id").first()
        )
    return review.do_create_process(
        acting_user=None,
        name=name,
        department=department,
        rubric=Rubric.objects.get(code="institution_recognition_2019"),
        stages=[
            {"kind": StageKind.ONLINE, "name": _("专家评审")},
            {"kind": StageKind.HEARING, "name": _("现场考察")},
        ],
        reviews_per_submission=3,
    )


@transaction.atomic
def do_formal_check(app, *, acting_user, passed: bool, note: str = "") -> InstitutionApplication:
    """形式审查: the criteria are checked again on today's rules; passed applications go to the expert review and the
    site visit."""
    from kechuang.review import services as review

    _require_manager(acting_user)
    app = _locked(app, ApplicationStatus.RECOMMENDED)
    if passed:
        _spec, lines, _values = check_criteria(app.kind, app.organisation, app.figures, timezone.localdate())
        failed = [line.text for line in lines if line.passed is not True]
        if failed:
            raise DomainError(PlatformError.CRITERIA_NOT_MET, "；".join(failed), status=422)
        process = _review_process(app.year, acting_user)
        app.review_submission = review.do_add_submission(
            process,
            acting_user=None,
            subject_type="platforms.application",
            subject_id=app.pk,
            title=f"{app.organisation.name}（{app.get_kind_display()}）",
            text="\n".join(c["text"] for c in app.criteria),
            applicant=app.organisation,
        )
        app.status = ApplicationStatus.IN_REVIEW
    else:
        if not note.strip():
            raise DomainError(ErrorCode.INVALID, _("不通过时请写明理由。"), {"field": "note"}, 422)
        app.status = ApplicationStatus.FORMAL_FAILED
    app.formal_note = note.strip()[:300]
    app.save(update_fields=["status", "formal_note", "review_submission"])
    record(
        "platforms.formal_check",
        app,
        acting_user=acting_user,
        organisation_id=app.organisation_id,
        changes={"status": app.status},
    )
    return app


@transaction.atomic
def do_decide(
    app, *, acting_user, approved: bool, note: str = "", site_visit_note: str = ""
) -> InstitutionApplication:
    """The department meeting's decision, after the expert review and the site visit passed (for an approval)."""
    from kechuang.review.models import SubmissionStatus

    _require_manager(acting_user)
    app = _locked(app, ApplicationStatus.IN_REVIEW)
    if approved:
        submission = app.review_submission
        if submission is None or submission.status != SubmissionStatus.PASSED:
            raise DomainError(
                PlatformError.REVIEW_REQUIRED, _("须经专家评审和现场考察通过后才能审议通过。"), status=409
            )
    elif not note.strip():
        raise DomainError(ErrorCode.INVALID, _("请写明不予认定的理由。"), {"field": "note"}, 422)
    app.status = ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED
    app.decision_note = note.strip()[:300]
    app.site_visit_note = site_visit_note.strip()[:300]
    app.save(update_fields=["status", "decision_note", "site_visit_note"])
    record(
        "platforms.decide",
        app,
        acting_user=acting_user,
        organisation_id=app.organisation_id,
        changes={"status": app.status},
    )
    return app


@transaction.atomic
def do_start_notice(*, acting_user, start: dt.date | None = None) -> int:
    _require_manager(acting_user)
    start = start or timezone.localdate()
    apps = list(InstitutionApplication.objects.select_for_update().filter(status=ApplicationStatus.APPROVED))
    if not apps:
        raise StateError(_("没有审议通过的机构，不能公示。"))
    for app in apps:
        days = rules.recognition(app.kind, start)["notice_working_days"]
        app.status, app.notice_start, app.notice_end = (
            ApplicationStatus.NOTICE,
            start,
            add_working_days(start, days),
        )
        app.save(update_fields=["status", "notice_start", "notice_end"])
        record(
            "platforms.notice",
            app,
            acting_user=acting_user,
            organisation_id=app.organisation_id,
            changes={"start": str(start), "end": str(app.notice_end)},
        )
    return len(apps)


@transaction.atomic
def do_recognise(app, *, acting_user, today: dt.date | None = None) -> Institution:
    """After the notice: the recognition number (e.g. 桂新研〔2026〕003号) and the institution record."""
    _require_manager(acting_user)
    app = _locked(app, ApplicationStatus.NOTICE)
    today = today or timezone.localdate()
    if today <= app.notice_end:
        raise DomainError(
            PlatformError.NOTICE_OPEN, _("公示期至 %(end)s 结束。") % {"end": app.notice_end}, status=409
        )
    spec = rules.recognition(app.kind, today)
    prefix = f"{spec['number_prefix']}〔{today.year}〕"
    seq = Institution.objects.filter(number__startswith=prefix).count() + 1
    institution = Institution.objects.create(
        organisation=app.organisation,
        kind=app.kind,
        category=app.kind,
        number=f"{prefix}{seq:03d}号",
        recognised_on=today,
        application=app,
    )
    app.status = ApplicationStatus.RECOGNISED
    app.save(update_fields=["status"])
    record(
        "platforms.recognise",
        institution,
        acting_user=acting_user,
        organisation_id=app.organisation_id,
        changes={"number": institution.number},
    )
    return institution


@transaction.atomic
def do_register_institute(organisation, *, acting_user, category: str) -> Institution:
    """A research institute entered into the classified evaluation with its category."""
    _require_manager(acting_user)
    if category not in ("basic_research", "innovation_transfer", "public_interest"):
        raise DomainError(ErrorCode.INVALID, _("科研院所的评估类别无效。"), {"field": "category"}, 422)
    institution, created = Institution.objects.get_or_create(
        organisation=organisation,
        kind=InstitutionKind.INSTITUTE,
        defaults={
            "category": category,
            "number": f"KY-{organisation.credit_code}",
            "recognised_on": timezone.localdate(),
        },
    )
    if not created and institution.category != category:
        institution.category = category
        institution.save(update_fields=["category"])
    record(
        "platforms.institute.register",
        institution,
        acting_user=acting_user,
        organisation_id=organisation.pk,
        changes={"category": category},
    )
    return institution
