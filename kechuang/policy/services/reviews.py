"""The review chain: 区县初审 → 设区市推荐 → 联合会审 (five departments sign off, each may veto)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import percent_text, yuan_text
from kechuang.permissions import has_cap, require
from kechuang.permissions.core import area_q, department_of
from kechuang.permissions.policy import (
    PolicyCap,
    area_level,
    can_city_review,
    can_county_review,
    can_manage_round,
    can_sign_joint_review,
    can_view_candidate,
)
from kechuang.policy.models import Candidate, JointSignoff, Round, Veto
from kechuang.policy.services.common import lock_round
from kechuang.policy.services.notice import notice_period
from kechuang.policy.services.rounds import allocate
from kechuang.registry.models import DepartmentType, IndicatorSource, IndicatorValue

# ---- reviews: 区县初审 → 市级推荐 → 联合会审 ----------------------------------------------------------------------


def _review_candidate(candidate: Candidate, allowed, expected, cap: str):
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("organisation", "round", "round__fund__programme")
        .get(pk=candidate.pk)
    )
    require(allowed(candidate), cap)
    lock_round(candidate.round, Round.Status.CITY_REVIEW)
    if candidate.status not in expected:
        raise StateError(
            _("该对象当前为“%(status)s”，不能执行此审核。") % {"status": candidate.get_status_display()}
        )
    return candidate


@transaction.atomic
def do_county_review(candidate: Candidate, *, approve: bool, note: str = "", acting_user) -> Candidate:
    """区县初审: by an official whose area covers the candidate (its county, or its city for counties without
    their own reviewer). May be revised until the city has recommended."""
    candidate = _review_candidate(
        candidate,
        lambda c: can_county_review(acting_user, c),
        (Candidate.Status.PENDING, Candidate.Status.COUNTY_PASSED, Candidate.Status.COUNTY_REJECTED),
        PolicyCap.CITY_REVIEW,
    )
    before = candidate.status
    candidate.status = Candidate.Status.COUNTY_PASSED if approve else Candidate.Status.COUNTY_REJECTED
    candidate.county_reviewed_by = acting_user
    candidate.county_note = note[:255]
    candidate.save(update_fields=["status", "county_reviewed_by", "county_note"])
    record(
        "policy.candidate.county_review",
        candidate,
        acting_user=acting_user,
        changes={"status": [before, candidate.status]},
        note=note,
    )
    return candidate


@transaction.atomic
def do_city_review(candidate: Candidate, *, approve: bool, note: str = "", acting_user) -> Candidate:
    """市级推荐: by a city-level official of the candidate's city, after the county's first review, and never by
    the person who did that first review."""
    candidate = _review_candidate(
        candidate,
        lambda c: can_city_review(acting_user, c),
        (Candidate.Status.COUNTY_PASSED, Candidate.Status.RECOMMENDED, Candidate.Status.CITY_REJECTED),
        PolicyCap.CITY_REVIEW,
    )
    if candidate.county_reviewed_by_id == acting_user.pk:
        raise DomainError(
            ErrorCode.FORBIDDEN, _("初审人员不能再作市级推荐（两级审核须由不同人员完成）。"), status=403
        )
    before = candidate.status
    candidate.status = Candidate.Status.RECOMMENDED if approve else Candidate.Status.CITY_REJECTED
    candidate.city_reviewed_by = acting_user
    candidate.city_note = note[:255]
    candidate.save(update_fields=["status", "city_reviewed_by", "city_note"])
    record(
        "policy.candidate.city_review",
        candidate,
        acting_user=acting_user,
        changes={"status": [before, candidate.status]},
        note=note,
    )
    return candidate


def _review_all(round_, acting_user, note, *, level: str) -> int:
    round_ = lock_round(round_, Round.Status.CITY_REVIEW)
    if level == "county":
        qs = Candidate.objects.filter(round=round_, status=Candidate.Status.PENDING).filter(
            area_q(acting_user, "organisation__")
        )
        new, by, note_field = Candidate.Status.COUNTY_PASSED, "county_reviewed_by", "county_note"
        before = Candidate.Status.PENDING
    else:
        qs = Candidate.objects.filter(
            round=round_, status=Candidate.Status.COUNTY_PASSED, organisation__city_id=acting_user.city_id
        ).exclude(county_reviewed_by=acting_user)
        new, by, note_field = Candidate.Status.RECOMMENDED, "city_reviewed_by", "city_note"
        before = Candidate.Status.COUNTY_PASSED
    ids = list(qs.select_for_update().order_by("id").values_list("id", flat=True))
    Candidate.objects.filter(pk__in=ids).update(status=new, **{by: acting_user, note_field: note[:255]})
    record(
        f"policy.round.{level}_review_all",
        round_,
        acting_user=acting_user,
        changes={"status": [before, new], "candidates": [None, ids], "area": [None, acting_user.city_id]},
        note=note,
    )
    return len(ids)


@transaction.atomic
def do_county_review_all(round_: Round, *, acting_user, note: str = "") -> int:
    """Pass every candidate of the official's area still waiting for the first review."""
    require(has_cap(acting_user, PolicyCap.CITY_REVIEW) and bool(acting_user.city_id), PolicyCap.CITY_REVIEW)
    return _review_all(round_, acting_user, note, level="county")


@transaction.atomic
def do_city_review_all(round_: Round, *, acting_user, note: str = "") -> int:
    """Recommend every candidate of the official's city that passed the first review (except those the official
    reviewed first: the second level is someone else)."""
    require(
        has_cap(acting_user, PolicyCap.CITY_REVIEW) and area_level(acting_user) == "city",
        PolicyCap.CITY_REVIEW,
    )
    return _review_all(round_, acting_user, note, level="city")


RD_STATISTICS_INDICATOR = "rd_spending"  # the statistics bureau's 107-1 R&D expenditure
RD_TAX_INDICATOR = "rd_super_deduction"  # the R&D expense the tax authority confirmed
RD_SOURCES = {RD_STATISTICS_INDICATOR: IndicatorSource.STATISTICS, RD_TAX_INDICATOR: IndicatorSource.TAX}
RD_GAP_FLAG_BP = 2000  # a gap above 20% of the larger figure is flagged for the reviewers


def rd_gap_flags(org_ids, year: int) -> dict[int, list[dict]]:
    """Compare the statistics bureau's 107-1 R&D figure with the tax-confirmed one for each organisation (each
    only as its bureau delivered it: a figure from another source counts as missing); flag large gaps and a
    missing figure. {org_id: [flag]}, flag = {"kind", "statistics_fen", "tax_fen", "gap_bp"}."""
    values: dict[int, dict[str, int]] = {}
    org_ids = list(org_ids)
    for start in range(0, len(org_ids), 5000):
        for org_id, code, value, source in IndicatorValue.objects.filter(
            organisation_id__in=org_ids[start : start + 5000],
            indicator_id__in=list(RD_SOURCES),
            year=year,
            is_current=True,
        ).values_list("organisation_id", "indicator_id", "value", "source"):
            if source == RD_SOURCES[code]:
                values.setdefault(org_id, {})[code] = value
    flags: dict[int, list[dict]] = {}
    for org_id in org_ids:
        figures = values.get(org_id, {})
        stat, tax = figures.get(RD_STATISTICS_INDICATOR), figures.get(RD_TAX_INDICATOR)
        if stat is None or tax is None:
            flags[org_id] = [{"kind": "rd_missing", "statistics_fen": stat, "tax_fen": tax, "gap_bp": None}]
            continue
        larger = max(stat, tax)
        gap_bp = abs(stat - tax) * 10000 // larger if larger > 0 else 0
        if gap_bp > RD_GAP_FLAG_BP:
            flags[org_id] = [{"kind": "rd_gap", "statistics_fen": stat, "tax_fen": tax, "gap_bp": gap_bp}]
    return flags


def flag_text(flag: dict) -> str:
    if flag.get("kind") == "rd_gap":
        return _("统计局107-1研发支出 %(stat)s 元与税务确认 %(tax)s 元相差 %(pct)s%%") % {
            "stat": yuan_text(flag["statistics_fen"], places=0),
            "tax": yuan_text(flag["tax_fen"], places=0),
            "pct": percent_text(flag["gap_bp"], places=1, sign=""),
        }
    return _("缺少统计局107-1研发支出或税务确认的研发费用（统计 %(stat)s 元，税务 %(tax)s 元）") % {
        "stat": yuan_text(flag.get("statistics_fen"), places=0),
        "tax": yuan_text(flag.get("tax_fen"), places=0),
    }


@transaction.atomic
def do_start_joint_review(round_: Round, *, acting_user) -> Round:
    """Hand the cities' recommendations to the 联合会审; the 107-1 and tax R&D figures are compared and large
    gaps flagged on each candidate for the departments."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_, Round.Status.CITY_REVIEW)
    waiting = Candidate.objects.filter(
        round=round_, status__in=[Candidate.Status.PENDING, Candidate.Status.COUNTY_PASSED]
    ).count()
    if waiting:
        raise StateError(_("还有 %(n)s 个对象未完成区县初审或市级推荐。") % {"n": waiting})
    recommended = list(
        Candidate.objects.select_for_update()
        .filter(round=round_, status=Candidate.Status.RECOMMENDED)
        .values_list("id", "organisation_id")
    )
    flags = rd_gap_flags({org for _, org in recommended}, round_.year)
    flagged = 0
    for cid, org in recommended:
        if flags.get(org):
            Candidate.objects.filter(pk=cid).update(data_flags=flags[org])
            flagged += 1
    round_.status = Round.Status.JOINT_REVIEW
    round_.save(update_fields=["status"])
    record(
        "policy.round.joint_review_start",
        round_,
        acting_user=acting_user,
        changes={
            "status": [Round.Status.CITY_REVIEW, Round.Status.JOINT_REVIEW],
            "recommended": [None, len(recommended)],
            "flagged": [None, flagged],
        },
    )
    return round_


def missing_signoffs(round_: Round) -> list[str]:
    signed = set(round_.signoffs.values_list("department_type", flat=True))
    return [d for d in round_.fund.programme.joint_departments if d not in signed]


@transaction.atomic
def do_joint_signoff(round_: Round, *, acting_user, vetoes=None, note: str = "") -> JointSignoff:
    """One department's signature in the 联合会审. `vetoes` {candidate_id: reason}: each must be a recommended
    candidate of this round that the official can see, each with a reason; a vetoed candidate is out."""
    round_ = Round.objects.select_related("fund__programme").get(pk=round_.pk)
    require(can_sign_joint_review(acting_user, round_), PolicyCap.JOINT_REVIEW)
    lock_round(round_, Round.Status.JOINT_REVIEW)
    department = department_of(acting_user)
    if round_.signoffs.filter(department_type=department.department_type).exists():
        raise DomainError(ErrorCode.CONFLICT, _("本部门已在联合会审中签署意见。"), status=409)
    try:
        vetoes = {int(k): str(v or "").strip() for k, v in dict(vetoes or {}).items()}
    except (TypeError, ValueError, OverflowError):
        raise DomainError(ErrorCode.INVALID, _("否决的对象编号无效。"), {"field": "vetoes"}, status=422)
    targets = {
        c.pk: c
        for c in Candidate.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(round=round_, pk__in=list(vetoes), status=Candidate.Status.RECOMMENDED)
    }
    unknown = sorted(
        cid for cid in vetoes if cid not in targets or not can_view_candidate(acting_user, targets[cid])
    )
    if unknown:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("这些对象不在本批次的会审名单中：%(ids)s") % {"ids": ", ".join(map(str, unknown))},
            {"field": "vetoes", "ids": unknown},
            status=404,
        )
    if any(not reason for reason in vetoes.values()):
        raise DomainError(ErrorCode.INVALID, _("否决须写明理由。"), {"field": "vetoes"}, status=422)
    signoff = JointSignoff.objects.create(
        round=round_,
        department_type=department.department_type,
        department=department,
        signed_by=acting_user,
        note=note.strip()[:255],
    )
    dept_label = DepartmentType(department.department_type).label
    for cid, reason in sorted(vetoes.items()):
        Veto.objects.create(signoff=signoff, candidate_id=cid, reason=reason[:255])
        candidate = targets[cid]
        candidate.status = Candidate.Status.JOINT_REJECTED
        candidate.reason = f"{dept_label}：{reason}"[:255]
        candidate.save(update_fields=["status", "reason"])
        record(
            "policy.candidate.veto",
            candidate,
            acting_user=acting_user,
            changes={"status": [Candidate.Status.RECOMMENDED, candidate.status]},
            note=candidate.reason,
        )
    record(
        "policy.round.joint_signoff",
        round_,
        acting_user=acting_user,
        changes={"department": [None, department.department_type], "vetoed": [None, sorted(vetoes)]},
        note=signoff.note,
    )
    return signoff


@transaction.atomic
def do_complete_joint_review(round_: Round, *, acting_user, note: str = "") -> Round:
    """After every department of the 联合会审 has signed: allocate the budget in whole 元 (batches by default,
    or pro-rating), list the candidates and start the 公示. Each candidate's award is audited."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_, Round.Status.JOINT_REVIEW)
    round_ = Round.objects.select_related("fund__programme").get(pk=round_.pk)
    missing = missing_signoffs(round_)
    if missing:
        raise StateError(
            _("联合会审尚缺：%(departments)s")
            % {"departments": "、".join(str(DepartmentType(d).label) for d in missing)}
        )
    recommended = list(
        Candidate.objects.select_for_update()
        .filter(round=round_, status=Candidate.Status.RECOMMENDED)
        .order_by("id")
        .values_list("id", "computed_fen", "awarded_fen")
    )
    awards, carried = allocate(
        [(cid, fen) for cid, fen, _a in recommended], round_.budget_fen, round_.allocation
    )
    before = {cid: old for cid, _fen, old in recommended}
    for cid, amount in awards.items():
        Candidate.objects.filter(pk=cid).update(awarded_fen=amount, status=Candidate.Status.LISTED)
        record(
            "policy.candidate.award",
            ("policy.candidate", str(cid), str(cid)),
            acting_user=acting_user,
            changes={
                "awarded_fen": [before[cid], amount],
                "status": [Candidate.Status.RECOMMENDED, Candidate.Status.LISTED],
            },
        )
    carry_reason = _("预算不足，转入下一批")
    for cid in carried:
        Candidate.objects.filter(pk=cid).update(status=Candidate.Status.CARRIED, reason=carry_reason)
        record(
            "policy.candidate.award",
            ("policy.candidate", str(cid), str(cid)),
            acting_user=acting_user,
            changes={
                "awarded_fen": [before[cid], 0],
                "status": [Candidate.Status.RECOMMENDED, Candidate.Status.CARRIED],
            },
        )
    requested = sum(fen for _cid, fen, _a in recommended)
    round_.prorated = round_.allocation == Round.Allocation.PRORATE and requested > round_.budget_fen
    round_.joint_reviewed_by = acting_user
    round_.status = Round.Status.NOTICE
    round_.notice_starts, round_.notice_ends = notice_period(timezone.localdate(), round_.notice_days)
    round_.save(update_fields=["prorated", "joint_reviewed_by", "status", "notice_starts", "notice_ends"])
    record(
        "policy.round.joint_review",
        round_,
        acting_user=acting_user,
        note=note,
        changes={
            "status": [Round.Status.JOINT_REVIEW, Round.Status.NOTICE],
            "listed": [None, len(awards)],
            "carried": [None, len(carried)],
            "requested_fen": [None, requested],
            "awarded_fen": [None, sum(awards.values())],
            "prorated": [None, round_.prorated],
        },
    )
    return round_
