"""Programmes, their funds and payout rounds; how a short budget is shared (batches or pro-rating)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import yuan_text
from kechuang.permissions import require
from kechuang.permissions.core import department_of
from kechuang.permissions.policy import (
    PolicyCap,
    can_create_programme,
    can_manage_programme,
    can_manage_round,
)
from kechuang.policy.engine.allocation import prorate
from kechuang.policy.models import (
    DEFAULT_NOTICE_DAYS,
    JOINT_REVIEW_DEPARTMENTS,
    Candidate,
    Fund,
    LedgerEntry,
    Programme,
    Round,
    ScreeningRun,
)
from kechuang.policy.services.common import CANCELLABLE, checked_year, lock_round, positive_fen
from kechuang.policy.services.screening import do_start_screening
from kechuang.policy.services.versions import current_versions
from kechuang.registry.models import DepartmentType

# ---- programme, fund, round ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_programme(
    name: str,
    policy_codes: list[str],
    *,
    description: str = "",
    joint_departments=None,
    notice_min_days: int = DEFAULT_NOTICE_DAYS,
    objection_release: str = "carry",
    city_share_bp: int = 0,
    county_share_bp: int = 0,
    acting_user,
) -> Programme:
    """A programme of the acting official's department, for its area (a city official's programme is its city's).
    `notice_min_days`: the floor of every round's 公示 in working days (at least 1); `objection_release`: what an
    upheld objection's money does (carry | redistribute); `city_share_bp`/`county_share_bp`: the co-funding shares
    of city and county finance in each award (the region passes down the rest, 下达)."""
    require(can_create_programme(acting_user), PolicyCap.ROUND_MANAGE)
    versions = current_versions()
    unknown = [c for c in policy_codes if c not in versions]
    if unknown or not policy_codes:
        raise DomainError(ErrorCode.INVALID, _("请选择已有的政策：%(codes)s") % {"codes": ", ".join(unknown)})
    if not name.strip():
        raise DomainError(ErrorCode.INVALID, _("名称不能为空。"), {"field": "name"})
    joint = list(joint_departments or JOINT_REVIEW_DEPARTMENTS)
    if not set(joint) <= set(DepartmentType.values):
        raise DomainError(ErrorCode.INVALID, _("未知的会审部门。"), {"field": "joint_departments"})
    from kechuang.policy.models import ObjectionRelease

    if (
        isinstance(notice_min_days, bool)
        or not isinstance(notice_min_days, int)
        or not 1 <= notice_min_days <= 60
    ):
        raise DomainError(
            ErrorCode.INVALID,
            _("公示最少工作日应在 1 至 60 之间。"),
            {"field": "notice_min_days"},
            status=422,
        )
    if objection_release not in ObjectionRelease.values:
        raise DomainError(ErrorCode.INVALID, _("未知的异议资金处理方式。"), {"field": "objection_release"})
    for field, value in (("city_share_bp", city_share_bp), ("county_share_bp", county_share_bp)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10000:
            raise DomainError(
                ErrorCode.INVALID, _("配套比例应在 0 至 100% 之间。"), {"field": field}, status=422
            )
    if city_share_bp + county_share_bp > 10000:
        raise DomainError(
            ErrorCode.INVALID, _("市、县配套比例合计不能超过100%。"), {"field": "city_share_bp"}, status=422
        )
    department = department_of(acting_user)
    programme = Programme.objects.create(
        name=name.strip()[:200],
        policy_codes=list(policy_codes),
        description=description,
        department=department,
        area_id=acting_user.city_id,
        joint_departments=joint,
        notice_min_days=notice_min_days,
        objection_release=objection_release,
        city_share_bp=city_share_bp,
        county_share_bp=county_share_bp,
        created_by=acting_user,
    )
    record(
        "policy.programme.create",
        programme,
        acting_user=acting_user,
        changes={
            "name": [None, programme.name],
            "policies": [None, policy_codes],
            "department": [None, department.pk],
            "area": [None, acting_user.city_id],
            "joint_departments": [None, joint],
            "notice_min_days": [None, notice_min_days],
            "objection_release": [None, objection_release],
            "city_share_bp": [None, city_share_bp],
            "county_share_bp": [None, county_share_bp],
        },
    )
    return programme


@transaction.atomic
def do_create_fund(programme: Programme, name: str, year: int, budget_fen: int, *, acting_user) -> Fund:
    """A programme's fund (budget year, budget in fen ≤ 10^15), by its department within its area."""
    require(can_manage_programme(acting_user, programme), PolicyCap.ROUND_MANAGE)
    budget_fen = positive_fen(budget_fen, "budget_fen")
    year = checked_year(year, "year")
    fund = Fund.objects.create(
        programme=programme,
        department_id=programme.department_id,
        name=(name.strip() or programme.name)[:200],
        year=year,
        budget_fen=budget_fen,
        created_by=acting_user,
    )
    LedgerEntry.objects.create(
        fund=fund,
        kind=LedgerEntry.Kind.BUDGET,
        amount_fen=budget_fen,
        note=_("预算下达"),
        created_by=acting_user,
    )
    record(
        "policy.fund.create",
        fund,
        acting_user=acting_user,
        changes={"budget_fen": [None, budget_fen], "year": [None, year], "programme": [None, programme.pk]},
    )
    return fund


@transaction.atomic
def do_create_programme_with_fund(
    name: str,
    policy_codes: list[str],
    *,
    fund_name: str = "",
    fund_year: int,
    budget_fen: int,
    description: str = "",
    acting_user,
    **options,
) -> Fund:
    """A programme and its fund in one transaction: either both exist afterwards or neither. `options`: those of
    `do_create_programme` (公示 floor, objection release, co-funding shares)."""
    positive_fen(budget_fen, "budget_fen")
    checked_year(fund_year, "fund_year")
    programme = do_create_programme(
        name, policy_codes, description=description, acting_user=acting_user, **options
    )
    return do_create_fund(
        programme, fund_name or programme.name, fund_year, budget_fen, acting_user=acting_user
    )


def committed_budget(fund: Fund) -> int:
    """What the fund's rounds hold: every round's budget except cancelled rounds', less what upheld objections
    released back to the fund (for the next batch)."""
    held = fund.rounds.exclude(status=Round.Status.CANCELLED).aggregate(
        b=Sum("budget_fen", default=0), r=Sum("released_fen", default=0)
    )
    return held["b"] - held["r"]


@transaction.atomic
def do_create_round(
    fund: Fund,
    name: str,
    *,
    year: int,
    budget_fen: int,
    policy_codes=None,
    mode=Round.Mode.SCREEN,
    notice_days: int | None = None,
    allocation=Round.Allocation.BATCHES,
    budget_year: int | None = None,
    carried_from: Round | None = None,
    acting_user,
) -> Round:
    """A round (批次) of a fund. `year` is the data year (whose figures are rewarded), `budget_year` the year
    whose budget pays (the fund's year by default). A round carried from an earlier one (第二批) takes that
    round's candidates the budget could not cover, reviewed already, straight to the 联合会审."""
    fund = Fund.objects.select_for_update(of=("self",)).select_related("programme").get(pk=fund.pk)
    require(can_manage_programme(acting_user, fund.programme), PolicyCap.ROUND_MANAGE)
    codes = list(policy_codes or fund.programme.policy_codes)
    if not set(codes) <= set(fund.programme.policy_codes):
        raise DomainError(ErrorCode.INVALID, _("批次的政策必须属于该项目。"))
    budget_fen = positive_fen(budget_fen, "budget_fen")
    year = checked_year(year, "year")
    budget_year = checked_year(fund.year if budget_year is None else budget_year, "budget_year")
    if budget_year < year:
        raise DomainError(
            ErrorCode.INVALID, _("预算年度不能早于数据年度。"), {"field": "budget_year"}, status=422
        )
    floor = max(fund.programme.notice_min_days, 1)
    notice_days = max(DEFAULT_NOTICE_DAYS, floor) if notice_days is None else notice_days
    if isinstance(notice_days, bool) or not isinstance(notice_days, int) or not floor <= notice_days <= 60:
        raise DomainError(
            ErrorCode.INVALID,
            _("公示期应为 %(floor)s 至 60 个工作日（本项目不少于 %(floor)s 个工作日）。") % {"floor": floor},
            {"field": "notice_days"},
            status=422,
        )
    if mode not in Round.Mode.values:
        raise DomainError(ErrorCode.INVALID, _("未知的方式。"), {"field": "mode"})
    if allocation not in Round.Allocation.values:
        raise DomainError(ErrorCode.INVALID, _("未知的分配方式。"), {"field": "allocation"})
    if not name.strip():
        raise DomainError(ErrorCode.INVALID, _("名称不能为空。"), {"field": "name"})
    committed = committed_budget(fund)
    if committed + budget_fen > fund.budget_fen:
        raise DomainError(
            ErrorCode.BUDGET_EXCEEDED,
            _("本批预算超出资金余额：资金 %(fund)s 元，已安排 %(used)s 元。")
            % {"fund": yuan_text(fund.budget_fen), "used": yuan_text(committed)},
        )
    carried = []
    if carried_from is not None:
        carried_from = Round.objects.select_for_update().get(pk=carried_from.pk)
        if carried_from.fund.programme_id != fund.programme_id or carried_from.year != year:
            raise DomainError(ErrorCode.INVALID, _("只能承接同一项目、同一数据年度的批次。"))
        if Round.objects.filter(carried_from=carried_from).exclude(status=Round.Status.CANCELLED).exists():
            raise DomainError(ErrorCode.CONFLICT, _("该批次的结转对象已转入其他批次。"), status=409)
        carried = list(
            Candidate.objects.select_for_update()
            .filter(round=carried_from, status=Candidate.Status.CARRIED)
            .order_by("id")
        )
        if not carried:
            raise StateError(_("该批次没有转入下一批的对象。"))
    round_ = Round.objects.create(
        fund=fund,
        department_id=fund.department_id or fund.programme.department_id,
        area_id=fund.programme.area_id,
        name=name.strip()[:200],
        year=year,
        budget_year=budget_year,
        policy_codes=codes,
        mode=mode,
        allocation=allocation,
        budget_fen=budget_fen,
        notice_days=notice_days,
        carried_from=carried_from,
        status=Round.Status.CITY_REVIEW if carried else Round.Status.DRAFT,
        created_by=acting_user,
    )
    for old in carried:
        Candidate.objects.create(
            round=round_,
            organisation_id=old.organisation_id,
            policy_version_id=old.policy_version_id,
            policy_code=old.policy_code,
            dedupe_key=old.dedupe_key,
            computed_fen=old.computed_fen,
            status=Candidate.Status.RECOMMENDED,
            reason=_("由“%(name)s”转入") % {"name": carried_from.name},
            trace=old.trace,
            applied=old.applied,
            attachment=old.attachment,
            county_reviewed_by_id=old.county_reviewed_by_id,
            county_note=old.county_note,
            city_reviewed_by_id=old.city_reviewed_by_id,
            city_note=old.city_note,
            data_flags=old.data_flags,
        )
    if carried:
        Candidate.objects.filter(pk__in=[c.pk for c in carried]).update(
            reason=(_("已转入“%(name)s”") % {"name": round_.name})[:255]
        )
    record(
        "policy.round.create",
        round_,
        acting_user=acting_user,
        changes={
            "budget_fen": [None, budget_fen],
            "mode": [None, mode],
            "year": [None, year],
            "budget_year": [None, budget_year],
            "allocation": [None, allocation],
            "carried_from": [None, carried_from.pk if carried_from else None],
            "carried": [None, len(carried)],
        },
    )
    return round_


@transaction.atomic
def do_cancel_round(round_: Round, *, reason: str, acting_user) -> Round:
    """Cancel a round while nothing is decided (before approval): its budget returns to the fund."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_)
    if round_.status not in CANCELLABLE:
        raise StateError(
            _("批次当前状态为“%(status)s”，已有决定，不能撤销。") % {"status": round_.get_status_display()}
        )
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写撤销原因。"), {"field": "reason"})
    before = round_.status
    round_.status = Round.Status.CANCELLED
    round_.cancel_reason = reason.strip()[:255]
    round_.save(update_fields=["status", "cancel_reason"])
    record(
        "policy.round.cancel",
        round_,
        acting_user=acting_user,
        changes={"status": [before, round_.status], "released_fen": [None, round_.budget_fen]},
        note=round_.cancel_reason,
    )
    return round_


@transaction.atomic
def do_screen_round(round_: Round, *, acting_user) -> ScreeningRun:
    """免申即享: screen every organisation for the round's policies; the job then fills the candidate list."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_, Round.Status.DRAFT, Round.Status.SCREENING)
    if round_.mode != Round.Mode.SCREEN:
        raise StateError(_("依申请的批次不进行全量筛查。"))
    if round_.status == Round.Status.SCREENING:  # only to retry a screening that failed
        last = round_.screening_runs.order_by("-id").first()
        if last is not None and last.status != ScreeningRun.Status.FAILED:
            raise StateError(_("筛查正在进行，请等待完成。"))
    before = round_.status
    run = do_start_screening(
        year=round_.year, policy_codes=round_.policy_codes, round_=round_, acting_user=acting_user
    )
    round_.status = Round.Status.SCREENING
    round_.save(update_fields=["status"])
    record(
        "policy.round.screen", round_, acting_user=acting_user, changes={"status": [before, round_.status]}
    )
    return run


def allocate(
    requests: list[tuple[int, int]], budget_fen: int, allocation: str
) -> tuple[dict[int, int], list[int]]:
    """Awards in whole 元 for [(candidate_id, computed_fen)] in list order.

    Rounding rule: each computed amount is rounded down to whole 元 (角、分舍去). When the total fits the budget
    everyone gets that. When it does not: `batches` — full amounts in list order while they fit; from the first
    one that does not fit on, everyone is carried to the next batch (so nobody overtakes); `prorate` — the budget
    in whole 元 is shared by the largest-remainder rule (see `prorate`). Returns ({id: awarded_fen}, carried ids).
    """
    whole = [(cid, (fen // 100) * 100) for cid, fen in requests]
    if sum(a for _, a in whole) <= budget_fen:
        return dict(whole), []
    if allocation == Round.Allocation.PRORATE:
        shares = prorate([(cid, a // 100) for cid, a in whole], budget_fen // 100)
        return {cid: yuan * 100 for cid, yuan in shares.items()}, []
    awards, carried, left = {}, [], budget_fen
    for cid, amount in whole:
        if carried or amount > left:
            carried.append(cid)
            continue
        awards[cid] = amount
        left -= amount
    return awards, carried
