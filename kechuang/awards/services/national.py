"""National awards: recommendation, results, the 1:1 matching and the defence-stage reward."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.awards import schemes
from kechuang.awards.errors import AwardError
from kechuang.awards.models import (
    AwardCall,
    AwardKind,
    NationalAward,
    NationalAwardKind,
    NationalStage,
    Nomination,
    NominationStatus,
)
from kechuang.awards.services.common import _require_manager
from kechuang.awards.services.prizes import _check_round, _publish
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import percent_text, wan_text
from kechuang.permissions.awards import can_manage_national

# --- national awards: recommendation, results, 1:1 matching and the defence-stage reward -------------------------

NATIONAL_KIND_FOR = {
    AwardKind.ST_AWARD: NationalAwardKind.NATIONAL_ST,
    AwardKind.PATENT_AWARD: NationalAwardKind.CHINA_PATENT,
}


def _require_national_manager(user, kind: str = NationalAwardKind.NATIONAL_ST) -> None:
    if user is not None and not can_manage_national(user, kind):
        raise PermissionDenied("awards.national:manage")


def region_used(kind: str, category: str, year: int) -> int:
    """The region's own recommendations (of its winners) to `kind`/`category` in `year`: what uses its quota.
    Projects registered from other channels have no Guangxi nomination and do not count."""
    return NationalAward.objects.filter(
        kind=kind, category=category, year=year, nomination__isnull=False
    ).count()


def _check_national_quota(kind: str, category: str, year: int) -> schemes.NationalQuota:
    if category not in schemes.national_categories(kind):
        raise DomainError(ErrorCode.INVALID, _("国家奖类别无效。"), status=422)
    quota = schemes.national_quota(kind, category, year)
    used = region_used(kind, category, year)
    if quota is None or used >= quota.quota:
        raise DomainError(
            AwardError.NATIONAL_QUOTA_EXCEEDED,
            _("%(year)s 年%(category)s的推荐名额为 %(n)s 项，已推荐 %(used)s 项。")
            % {
                "year": year,
                "category": schemes.national_categories(kind)[category],
                "n": quota.quota if quota else 0,
                "used": used,
            },
            {"quota": quota.quota if quota else 0, "used": used, "document": quota.document if quota else ""},
            status=409,
        )
    return quota


@transaction.atomic
def do_recommend_national(
    nomination: Nomination, *, acting_user, year: int, channel: str = "", category: str = ""
) -> NationalAward:
    """Put a Guangxi winner forward to the national award (广西专利奖 → 中国专利奖, 广西科学技术奖 → 国家科学技术奖),
    in a national category (by default the one its Guangxi category maps to) and within the region's quota for
    that category and year (rules/national_quotas.yaml)."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("call").get(pk=nomination.pk)
    )
    _require_manager(acting_user, nomination.call)
    if nomination.status != NominationStatus.AWARDED:
        raise DomainError(AwardError.NOT_A_WINNER, _("只有获奖项目才能推荐参评国家奖。"), status=409)
    if not nomination.call.year <= year <= nomination.call.year + 3:
        raise DomainError(ErrorCode.INVALID, _("推荐年度应在获奖当年起三年内。"), status=422)
    kind = NATIONAL_KIND_FOR[nomination.call.kind]
    category = category or schemes.national_category_for(kind, nomination.category)
    if NationalAward.objects.filter(nomination=nomination).exclude(stage=NationalStage.NOT_AWARDED).exists():
        raise DomainError(ErrorCode.CONFLICT, _("该项目已推荐参评国家奖。"), status=409)
    if NationalAward.objects.filter(kind=kind, year=year, nomination=nomination).exists():
        raise DomainError(ErrorCode.CONFLICT, _("该项目本年度已推荐。"), status=409)
    # Recommendations of one award are counted one at a time: the calls of that award are the lock.
    list(AwardCall.objects.select_for_update().filter(kind=nomination.call.kind).values_list("pk", flat=True))
    quota = _check_national_quota(kind, category, year)
    entry = NationalAward.objects.create(
        kind=kind,
        category=category,
        year=year,
        nomination=nomination,
        title=nomination.title,
        lead_unit=nomination.lead_unit,
        led_by_guangxi=True,
        channel=(channel or _("自治区推荐"))[:100],
        recommended_by=acting_user,
    )
    record(
        "awards.national.recommend",
        entry,
        acting_user=acting_user,
        changes={"kind": kind, "category": category, "year": year},
        note=_("名额 %(n)s 项（%(doc)s）") % {"n": quota.quota, "doc": quota.document},
    )
    return entry


def national_quota_rows(kinds, years) -> list[dict]:
    """For the officials' page: each national category's quota in each year, what the region used, and the
    quota's source (with its verified mark)."""
    rows = []
    for kind in kinds:
        for year in sorted(set(years), reverse=True):
            for category, name in schemes.national_categories(kind).items():
                quota = schemes.national_quota(kind, category, year)
                used = region_used(kind, category, year)
                rows.append(
                    {
                        "kind": NationalAwardKind(kind).label,
                        "category": name,
                        "year": year,
                        "quota": quota,
                        "used": used,
                        "left": max(0, quota.quota - used) if quota else 0,
                    }
                )
    return rows


@transaction.atomic
def do_register_national(
    *,
    acting_user,
    kind: str,
    year: int,
    title: str,
    lead_unit,
    led_by_guangxi: bool,
    channel: str,
    category: str = "",
) -> NationalAward:
    """A national application nominated through another channel (academicians, societies, ministries) that a
    Guangxi unit leads or takes part in, so that its result counts for the matching and the defence reward."""
    if kind not in NationalAwardKind.values:
        raise DomainError(ErrorCode.INVALID, _("国家奖项无效。"), status=422)
    _require_national_manager(acting_user, kind)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError(ErrorCode.INVALID, _("年度超出范围。"), status=422)
    if not title.strip() or not channel.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称和推荐渠道。"), status=422)
    if category and category not in schemes.national_categories(kind):
        raise DomainError(ErrorCode.INVALID, _("国家奖类别无效。"), status=422)
    entry = NationalAward.objects.create(
        kind=kind,
        category=category,
        year=year,
        title=title.strip()[:300],
        lead_unit=lead_unit,
        led_by_guangxi=led_by_guangxi,
        channel=channel.strip()[:100],
        recommended_by=acting_user,
    )
    record("awards.national.register", entry, acting_user=acting_user, changes={"kind": kind, "year": year})
    return entry


NATIONAL_NEXT = {
    NationalStage.RECOMMENDED: {NationalStage.DEFENCE, NationalStage.AWARDED, NationalStage.NOT_AWARDED},
    NationalStage.DEFENCE: {NationalStage.AWARDED, NationalStage.NOT_AWARDED},
    NationalStage.AWARDED: set(),
    NationalStage.NOT_AWARDED: set(),
}


@transaction.atomic
def do_record_national_result(
    entry: NationalAward, *, acting_user, stage: str, document: str, grade: str = "", prize_fen: int = 0
) -> NationalAward:
    """The national result as announced: reached the defence stage, awarded (grade and national prize money) or
    not awarded. A decided result is final."""
    entry = NationalAward.objects.select_for_update().get(pk=entry.pk)
    _require_national_manager(acting_user, entry.kind)
    if stage not in NATIONAL_NEXT.get(entry.stage, set()):
        raise StateError(_("不能从“%(old)s”变为该进展。") % {"old": entry.get_stage_display()})
    if stage == NationalStage.DEFENCE and entry.kind != NationalAwardKind.NATIONAL_ST:
        raise DomainError(ErrorCode.INVALID, _("只有国家科学技术奖设答辩阶段奖励。"), status=422)
    if not document.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写国家公告或决定的文号。"), status=422)
    if isinstance(prize_fen, bool) or not isinstance(prize_fen, int) or not 0 <= prize_fen <= 10**12:
        raise DomainError(
            ErrorCode.INVALID, _("国家奖金应为 0 至 100 亿元之间的整数金额（分）。"), status=422
        )
    if stage == NationalStage.AWARDED and not grade.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写获奖等级。"), status=422)
    if stage != NationalStage.AWARDED and prize_fen:
        raise DomainError(ErrorCode.INVALID, _("未获奖的项目没有国家奖金。"), status=422)
    old = (entry.stage, entry.prize_fen)
    entry.stage, entry.grade, entry.prize_fen = stage, grade.strip()[:50], prize_fen
    entry.reached_defence = entry.reached_defence or stage == NationalStage.DEFENCE
    entry.result_document = document.strip()[:200]
    entry.save(update_fields=["stage", "grade", "prize_fen", "result_document", "reached_defence"])
    record(
        "awards.national.result",
        entry,
        acting_user=acting_user,
        changes={"stage": [old[0], stage], "prize_fen": [old[1], prize_fen]},
        note=entry.result_document,
    )
    return entry


def national_bases(year: int) -> dict[str, dict[int, dict]]:
    """Per policy, per lead unit: the figure the rule reads and the projects it is made of.

    Matching: the national prize money of national S&T awards won in `year` by projects a Guangxi unit led.
    Defence reward: the projects a Guangxi enterprise led that reached the defence stage and did not win (a winner
    gets the matching, not both: 从优从高不重复 per project — an inferred rule, see docs/review.md)."""
    from kechuang.registry.models import OrganisationKind

    out: dict[str, dict[int, dict]] = {"national_award_matching": {}, "national_award_defence": {}}
    entries = NationalAward.objects.filter(
        year=year, kind=NationalAwardKind.NATIONAL_ST, led_by_guangxi=True
    ).select_related("lead_unit")
    for e in entries.order_by("id"):
        if e.stage == NationalStage.AWARDED and e.prize_fen > 0:
            slot = out["national_award_matching"].setdefault(e.lead_unit_id, {"value": 0, "entries": []})
            slot["value"] += e.prize_fen
            slot["entries"].append(e)
        elif e.stage == NationalStage.NOT_AWARDED and e.reached_defence:
            if e.lead_unit.kind != OrganisationKind.ENTERPRISE:
                continue
            slot = out["national_award_defence"].setdefault(e.lead_unit_id, {"value": 0, "entries": []})
            slot["value"] += 1
            slot["entries"].append(e)
    return out


NATIONAL_INDICATOR = {
    "national_award_matching": "national_award_prize_led",
    "national_award_defence": "national_defence_projects",
}


@transaction.atomic
def do_pay_national_rewards(year: int, round_, *, acting_user) -> list:
    """The 1:1 matching and the defence-stage reward of the national S&T award results of `year`, through the
    policy payout workflow: each lead unit's figure written from the recorded results, the amount computed by the
    policy engine (`national_award_matching`, `national_award_defence`, with their documents and flags)."""
    from kechuang.policy import services as policy

    _require_national_manager(acting_user)
    bases = {code: b for code, b in national_bases(year).items() if b}
    if not bases:
        raise StateError(_("%(year)s 年没有可奖励的国家奖结果。") % {"year": year})
    round_ = _check_round(year, round_, list(bases), acting_user)
    decided = []
    for code, per_org in bases.items():
        docs = "、".join(sorted({e.result_document for b in per_org.values() for e in b["entries"]}))
        reference = _("%(year)s 年度国家科学技术奖结果（%(docs)s）") % {"year": year, "docs": docs}
        decided += _publish(
            {org_id: b["value"] for org_id, b in per_org.items()},
            NATIONAL_INDICATOR[code],
            code,
            year=year,
            reference=reference,
            expect=False,
        )
    candidates = policy.do_add_decided_candidates(round_, decided, acting_user=acting_user)
    record(
        "awards.national.pay",
        round_,
        acting_user=acting_user,
        changes={"year": year, "candidates": [None, len(candidates)]},
    )
    return candidates


def national_reward_rates(year: int) -> list[dict]:
    """The rates the matching and the defence reward are paid at in `year`, from the policy rules (with the
    overrides officials scheduled), each with its verified mark: the defence reward's amount was not found in any
    primary text, and officials must see that before they pay it."""
    from kechuang.policy import services as policy

    rows = []
    for code in ("national_award_matching", "national_award_defence"):
        _version, rule = policy.get_current_policy(code)
        if not rule.in_effect(year):
            continue
        for name, value in rule.params_for(year).items():
            param = rule.params[name]
            rows.append(
                {
                    "policy": rule.name.get("zh", code),
                    "label": param.label.get("zh", name),
                    "value": value.value,
                    "text": _("%(n)s 万元") % {"n": wan_text(value.value)}
                    if param.unit == "fen"
                    else percent_text(value.value)
                    if param.unit == "bp"
                    else str(value.value),
                    "verified": value.verified,
                    "note": value.note,
                    "document": rule.reference,
                    "reference_verified": rule.reference_verified,
                }
            )
    return rows
