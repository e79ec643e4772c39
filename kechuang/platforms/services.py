"""Platforms and institutions: every state change a `do_*` function, atomic, audited, permission-checked.

- Platform records are imported from the ministries' lists (CSV or .xlsx), row by row with each refusal's reason.
- New-type R&D and technology-transfer institutions: application checked against the criteria in force (every
  criterion explained) → city recommendation → formal check → expert review and site visit on `kechuang.review` →
  department decision → public notice in working days → recognition number.
- Yearly indicator reports, and the classified evaluation: indicator sets and weights as data, self-assessment plus
  the platform's own data plus the expert score → grade with the explanation of every point → notice → final grade,
  whose post-funding is written as the registry figure `institution_post_funding_due` and paid by the policy rule
  `institution_post_funding` through the ordinary payout workflow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.codes import CodeError, check_credit_code
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.core import department_of
from kechuang.permissions.platforms import PlatformCap, can_apply, can_manage, can_recommend, can_report_for
from kechuang.platforms import criteria as crit
from kechuang.platforms import evaluation as ev
from kechuang.platforms import rules
from kechuang.platforms.errors import PlatformError
from kechuang.platforms.models import (
    ApplicationStatus,
    Evaluation,
    IndicatorReport,
    Institution,
    InstitutionApplication,
    InstitutionKind,
    Platform,
    PlatformImport,
)
from kechuang.workdays import add_working_days

POST_FUNDING_INDICATOR = "institution_post_funding_due"
FIGURE_FIELDS = {
    "revenue_fen": "fen",
    "rd_spending_fen": "fen",
    "staff": "count",
    "rd_staff": "count",
    "premises_m2": "count",
    "contract_turnover_fen": "fen",
    "brokers": "count",
}
FIGURE_NAMES = {
    "revenue_fen": _("上年度收入"),
    "rd_spending_fen": _("上年度研发经费支出"),
    "staff": _("职工总数"),
    "rd_staff": _("研发人员"),
    "premises_m2": _("研发场所面积"),
    "contract_turnover_fen": _("促成技术合同成交额"),
    "brokers": _("技术经纪人"),
    "established_on": _("成立日期（机构登记）"),
    "legal_entity_in_guangxi": _("在广西注册的法人"),
}


def _require_manager(user) -> None:
    if user is not None and not can_manage(user):
        raise PermissionDenied(PlatformCap.MANAGE)


# ---- platform records ------------------------------------------------------------------------------------------

HEADERS = {
    "平台名称": "name",
    "类型": "kind",
    "级别": "level",
    "依托单位": "host_name",
    "依托单位统一社会信用代码": "host_credit_code",
    "批准年份": "approved_year",
    "批准日期": "approved_on",
    "批准文件": "approval_document",
}


def _alias_map(section: dict) -> dict[str, str]:
    out = {}
    for code, spec in section.items():
        out[code] = code
        out[spec["name"]] = code
        for alias in spec.get("aliases", []):
            out[alias] = code
    return out


@transaction.atomic
def do_import_platforms(content: bytes, file_name: str, *, acting_user, source: str = "") -> PlatformImport:
    """Read a ministry's list: each row creates or updates one platform (same name, kind and level); a refused row
    is reported with its reason and changes nothing."""
    from kechuang.registry.models import Organisation
    from kechuang.spreadsheets import read_rows

    _require_manager(acting_user)
    suffix = Path(file_name).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(content)
        tmp.flush()
        rows, _formulas = read_rows(Path(tmp.name), file_name)
    if not rows:
        raise DomainError(ErrorCode.BAD_FILE, _("文件是空的。"), status=422)
    header = [str(h or "").strip() for h in rows[0]]
    missing = [h for h in ("平台名称", "类型", "级别", "依托单位", "批准年份") if h not in header]
    if missing:
        raise DomainError(
            ErrorCode.IMPORT_REJECTED,
            _("缺少列：%(cols)s") % {"cols": "、".join(missing)},
            {"missing": missing},
            422,
        )
    index = {HEADERS[h]: i for i, h in enumerate(header) if h in HEADERS}
    kinds = _alias_map(rules.platform_kinds()["kinds"])
    levels = _alias_map(rules.platform_kinds()["levels"])
    errors, created, updated = [], 0, 0
    for n, row in enumerate(rows[1:], start=2):
        value = {
            k: str(row[i]).strip() if i < len(row) and row[i] is not None else "" for k, i in index.items()
        }
        if not any(value.values()):
            continue
        kind, level = kinds.get(value.get("kind", "")), levels.get(value.get("level", ""))
        reason = None
        if not value.get("name"):
            reason = _("缺少平台名称")
        elif kind is None:
            reason = _("未知的平台类型“%(v)s”") % {"v": value.get("kind", "")}
        elif level is None:
            reason = _("未知的级别“%(v)s”") % {"v": value.get("level", "")}
        year = None
        if reason is None:
            try:
                year = int(float(value.get("approved_year", "")))
                if not 1950 <= year <= timezone.localdate().year:
                    raise ValueError
            except ValueError:
                reason = _("批准年份无效“%(v)s”") % {"v": value.get("approved_year", "")}
        approved_on, known = (dt.date(year, 1, 1) if year else None), False
        if reason is None and value.get("approved_on"):
            try:
                approved_on, known = dt.date.fromisoformat(value["approved_on"][:10]), True
                if approved_on.year != year:
                    reason = _("批准日期与批准年份不一致")
            except ValueError:
                reason = _("批准日期无效“%(v)s”（应为 YYYY-MM-DD）") % {"v": value["approved_on"]}
        host = None
        if reason is None and value.get("host_credit_code"):
            try:
                code = check_credit_code(value["host_credit_code"])
                host = Organisation.objects.filter(credit_code=code).first()
            except CodeError:
                reason = _("依托单位统一社会信用代码无效")
        if reason is not None:
            errors.append({"row": n, "reason": str(reason)})
            continue
        defaults = {
            "host": host,
            "host_name": (value.get("host_name") or (host.name if host else ""))[:200],
            "approved_year": year,
            "approved_on": approved_on,
            "approved_on_known": known,
            "approval_document": value.get("approval_document", "")[:200],
            "source": (source or file_name)[:200],
            "is_active": True,
        }
        _obj, was_created = Platform.objects.update_or_create(
            name=value["name"][:200], kind=kind, level=level, defaults=defaults
        )
        created += int(was_created)
        updated += int(not was_created)
    report = PlatformImport.objects.create(
        file_name=file_name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=len(rows) - 1,
        created=created,
        updated=updated,
        errors=errors[:500],
        imported_by=acting_user,
    )
    record(
        "platforms.import",
        report,
        acting_user=acting_user,
        changes={"created": created, "updated": updated, "errors": len(errors)},
    )
    return report


# ---- recognition of institutions -----------------------------------------------------------------------------


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
    app = InstitutionApplication.objects.select_for_update().select_related("organisation").get(pk=app.pk)
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


# ---- yearly reports and the classified evaluation ---------------------------------------------------------------


def self_indicators(category: str) -> list[str]:
    return [
        i["code"] for i in rules.evaluation()["categories"][category]["indicators"] if i["source"] == "self"
    ]


@transaction.atomic
def do_report_indicators(institution, *, acting_user, year: int, figures: dict) -> IndicatorReport:
    if not can_report_for(acting_user, institution):
        raise PermissionDenied(PlatformCap.APPLY)
    allowed = self_indicators(institution.category)
    clean = {}
    for code, value in figures.items():
        if code not in allowed:
            raise DomainError(
                PlatformError.BAD_FIGURE,
                _("“%(code)s”不是本类别的自评指标。") % {"code": code},
                {"field": code},
                422,
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**15:
            raise DomainError(PlatformError.BAD_FIGURE, _("指标应为非负整数。"), {"field": code}, 422)
        clean[code] = value
    if Evaluation.objects.filter(institution=institution, year=year, state=Evaluation.State.FINAL).exists():
        raise DomainError(PlatformError.FINAL, _("该年度评估已确定，不能再修改报告。"), status=409)
    report, _created = IndicatorReport.objects.update_or_create(
        institution=institution, year=year, defaults={"figures": clean, "submitted_by": acting_user}
    )
    record(
        "platforms.report",
        institution,
        acting_user=acting_user,
        organisation_id=institution.organisation_id,
        changes={"year": year, "figures": clean},
    )
    return report


def platform_figures(institutions, year: int) -> dict[int, dict]:
    """The platform's own data per institution: active platforms it hosts (approved by the year) and high-level
    talents recognised at it (by the year)."""
    from kechuang.talent.models import Status, TalentApplication

    orgs = {i.pk: i.organisation_id for i in institutions}
    platforms = dict(
        Platform.objects.filter(host_id__in=set(orgs.values()), is_active=True, approved_year__lte=year)
        .values_list("host_id")
        .annotate(n=Count("id"))
        .values_list("host_id", "n")
    )
    talents = dict(
        TalentApplication.objects.filter(
            employer_id__in=set(orgs.values()),
            status__in=(Status.RECOGNISED, Status.LEFT),
            recognised_on__year__lte=year,
        )
        .values_list("employer_id")
        .annotate(n=Count("id"))
        .values_list("employer_id", "n")
    )
    return {
        pk: {"platforms": platforms.get(org, 0), "talents": talents.get(org, 0)} for pk, org in orgs.items()
    }


@transaction.atomic
def do_evaluate(year: int, *, acting_user, expert_scores: dict | None = None, institutions=None) -> dict:
    """Score every (or the given) active institution for `year`: self-assessment (its yearly report), the platform's
    own data and the expert score, by its category's indicator set. Final evaluations are not touched."""
    _require_manager(acting_user)
    spec = rules.evaluation()
    qs = Institution.objects.filter(is_active=True) if institutions is None else institutions
    insts = list(qs)
    finals = set(
        Evaluation.objects.filter(year=year, state=Evaluation.State.FINAL).values_list(
            "institution_id", flat=True
        )
    )
    insts = [i for i in insts if i.pk not in finals]
    reports = {
        r.institution_id: r.figures for r in IndicatorReport.objects.filter(institution__in=insts, year=year)
    }
    existing = {e.institution_id: e for e in Evaluation.objects.filter(institution__in=insts, year=year)}
    scores = dict(expert_scores or {})
    for pk, score in scores.items():
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
            raise DomainError(
                PlatformError.BAD_FIGURE, _("专家评议得分应在 0 至 100 之间。"), {"institution": pk}, 422
            )
    pdata = platform_figures(insts, year)
    by_category = defaultdict(list)
    for inst in insts:
        expert = scores.get(inst.pk, existing[inst.pk].expert_score if inst.pk in existing else None)
        row = {**reports.get(inst.pk, {}), **pdata[inst.pk], "expert": expert}
        by_category[inst.category].append((inst, row, expert))
    create, update = [], []
    grades = {}
    for category, items in by_category.items():
        results = ev.evaluate_many(
            spec["categories"][category], spec["grades"], [row for _i, row, _e in items]
        )
        for (inst, row, expert), result in zip(items, results, strict=True):
            grades[result.grade] = grades.get(result.grade, 0) + 1
            values = {
                "category": category,
                "rules_version": spec["version"],
                "figures": row,
                "expert_score": expert,
                "total_centi": result.total_centi,
                "grade": result.grade,
                "explanation": result.lines,
                "post_funding_fen": spec["categories"][category]["post_funding"].get(result.grade, 0),
                "state": Evaluation.State.SCORED,
            }
            if inst.pk in existing:
                e = existing[inst.pk]
                for k, v in values.items():
                    setattr(e, k, v)
                update.append(e)
            else:
                create.append(Evaluation(institution=inst, year=year, **values))
    Evaluation.objects.bulk_create(create, batch_size=1000)
    Evaluation.objects.bulk_update(
        update,
        [
            "category",
            "rules_version",
            "figures",
            "expert_score",
            "total_centi",
            "grade",
            "explanation",
            "post_funding_fen",
            "state",
        ],
        batch_size=1000,
    )
    summary = {"year": year, "evaluated": len(create) + len(update), "grades": grades}
    record(
        "platforms.evaluate",
        ("platforms.year", str(year), str(year)),
        acting_user=acting_user,
        changes=summary,
    )
    return summary


@transaction.atomic
def do_start_evaluation_notice(year: int, *, acting_user, start: dt.date | None = None) -> int:
    _require_manager(acting_user)
    start = start or timezone.localdate()
    end = add_working_days(start, rules.evaluation()["notice_working_days"])
    n = Evaluation.objects.filter(year=year, state=Evaluation.State.SCORED).update(
        state=Evaluation.State.NOTICE, notice_start=start, notice_end=end
    )
    if not n:
        raise StateError(_("该年度没有待公示的评估结果。"))
    record(
        "platforms.evaluation.notice",
        ("platforms.year", str(year), str(year)),
        acting_user=acting_user,
        changes={"n": n, "start": str(start), "end": str(end)},
    )
    return n


@transaction.atomic
def do_finalise_evaluations(year: int, *, acting_user, today: dt.date | None = None) -> dict:
    """After the notice: grades become final and each organisation's post-funding for the year is written as the
    registry figure the payout rule `institution_post_funding` pays."""
    from kechuang.registry.services import do_record_platform_figures

    _require_manager(acting_user)
    today = today or timezone.localdate()
    evals = list(
        Evaluation.objects.select_for_update()
        .filter(year=year, state=Evaluation.State.NOTICE)
        .select_related("institution")
    )
    if not evals:
        raise StateError(_("该年度没有公示中的评估结果。"))
    still_open = [e for e in evals if e.notice_end and today <= e.notice_end]
    if still_open:
        raise DomainError(
            PlatformError.NOTICE_OPEN,
            _("公示期至 %(end)s 结束。") % {"end": still_open[0].notice_end},
            status=409,
        )
    Evaluation.objects.filter(pk__in=[e.pk for e in evals]).update(state=Evaluation.State.FINAL)
    totals: dict[int, int] = defaultdict(int)
    for e in evals:
        if e.post_funding_fen:
            totals[e.institution.organisation_id] += e.post_funding_fen
    do_record_platform_figures(
        POST_FUNDING_INDICATOR, year, dict(totals), reference=f"机构分类评估后补助（{year}）"
    )
    summary = {"year": year, "final": len(evals), "funded": len(totals), "total_fen": sum(totals.values())}
    record(
        "platforms.evaluation.final",
        ("platforms.year", str(year), str(year)),
        acting_user=acting_user,
        changes=summary,
    )
    return summary
