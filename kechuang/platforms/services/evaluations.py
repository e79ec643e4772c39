"""Yearly indicator reports and the classified evaluation: indicator sets and weights as data, self-assessment plus
the platform's own data plus the expert score → grade with the explanation of every point → notice → final grade,
whose post-funding is written as the registry figure `institution_post_funding_due` and paid by the policy rule
`institution_post_funding` through the ordinary payout workflow."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, StateError
from kechuang.permissions.core import department_of
from kechuang.permissions.platforms import PlatformCap, can_report_for
from kechuang.platforms import evaluation as ev
from kechuang.platforms import rules
from kechuang.platforms.errors import PlatformError
from kechuang.platforms.models import Evaluation, ExpertReview, IndicatorReport, Institution, Platform
from kechuang.platforms.services.common import POST_FUNDING_INDICATOR, _require_manager
from kechuang.workdays import add_working_days

EXPERT_RUBRIC = "institution_evaluation_2024"
EXPERT_SUBJECT = "platforms.institution"


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


def _expert_process(year: int, acting_user):
    """The year's expert review on the review engine (created on first use), owned by the acting official's
    department or the science department."""
    from kechuang.registry.models import DepartmentType, Organisation
    from kechuang.review import services as review
    from kechuang.review.models import Rubric, StageKind

    found = ExpertReview.objects.filter(year=year).select_related("process").first()
    if found is not None:
        return found.process
    department = department_of(acting_user) if acting_user is not None else None
    department = department or (
        Organisation.objects.filter(department_type=DepartmentType.SCIENCE).order_by("id").first()
    )
    process = review.do_create_process(
        acting_user=None,
        name=_("%(year)s 年度科研机构分类评估专家评议") % {"year": year},
        department=department,
        rubric=Rubric.objects.get(code=EXPERT_RUBRIC),
        stages=[{"kind": StageKind.ONLINE, "name": _("专家评议")}],
        reviews_per_submission=3,
    )
    ExpertReview.objects.create(year=year, process=process)
    return process


@transaction.atomic
def do_open_expert_review(year: int, *, acting_user, institutions=None) -> int:
    """Send every (or the given) active institution whose evaluation is not final to the year's expert review on
    the review engine (one submission each, the organisation as applicant so its own experts are kept away);
    returns how many were added. The engine assigns the experts with their conflicts and they score by the rubric."""
    from kechuang.review import services as review
    from kechuang.review.models import StageStatus

    _require_manager(acting_user)
    process = _expert_process(year, acting_user)
    stage = process.stages.get()
    if stage.status == StageStatus.CLOSED:
        raise StateError(_("该年度专家评议已结束。"))
    qs = Institution.objects.filter(is_active=True) if institutions is None else institutions
    final = Evaluation.objects.filter(year=year, state=Evaluation.State.FINAL).values("institution_id")
    present = set(process.submissions.values_list("subject_id", flat=True))
    added = 0
    for inst in qs.exclude(pk__in=final).select_related("organisation").order_by("pk"):
        if inst.pk in present:
            continue
        review.do_add_submission(
            process,
            acting_user=None,
            subject_type=EXPERT_SUBJECT,
            subject_id=inst.pk,
            title=f"{inst.organisation.name}（{inst.get_category_display()}）",
            text=f"{inst.get_kind_display()} {inst.number}",
            applicant=inst.organisation,
        )
        added += 1
    record(
        "platforms.expert_review.open",
        ("platforms.year", str(year), str(year)),
        acting_user=acting_user,
        changes={"added": added, "process": process.pk},
    )
    return added


def expert_scores(year: int, institution_ids) -> dict[int, int]:
    """Institution id → its expert score for `year`: the mean of the experts' rubric totals (0–100) submitted on
    the review engine, rounded half up to a whole point; institutions without a submitted review are absent."""
    from kechuang.talent.expert_review import stage_means

    found = ExpertReview.objects.filter(year=year).select_related("process").first()
    if found is None:
        return {}
    subject = dict(
        found.process.submissions.filter(
            subject_type=EXPERT_SUBJECT, subject_id__in=list(institution_ids)
        ).values_list("pk", "subject_id")
    )
    means = stage_means(found.process.stages.get(), list(subject))
    return {subject[pk]: int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for pk, mean in means.items()}


@transaction.atomic
def do_evaluate(year: int, *, acting_user, institutions=None) -> dict:
    """Score every (or the given) active institution for `year`: self-assessment (its yearly report), the platform's
    own data and the expert score from the review engine, by its category's indicator set. Final evaluations are
    not touched."""
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
    scores = expert_scores(year, [i.pk for i in insts])
    pdata = platform_figures(insts, year)
    by_category = defaultdict(list)
    for inst in insts:
        expert = scores.get(inst.pk)
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
        Evaluation.objects.select_for_update(of=("self",))
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
