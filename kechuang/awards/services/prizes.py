"""Prizes paid through the policy payout workflow: who is paid what by the decision, and the round that pays it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.awards.models import AwardCall, AwardKind, CallStatus, NominationStatus
from kechuang.awards.services.common import _require_manager
from kechuang.errors import DomainError, ErrorCode, StateError

# --- prizes paid through the policy payout workflow ------------------------------------------------------------

PRIZE_POLICY = {AwardKind.ST_AWARD: "st_award_prize", AwardKind.PATENT_AWARD: "patent_award_prize"}
DECIDED_POLICIES = (
    "st_award_prize",
    "patent_award_prize",
    "national_award_matching",
    "national_award_defence",
)
PRIZE_INDICATOR = {AwardKind.ST_AWARD: "st_award_prize_due", AwardKind.PATENT_AWARD: "patent_award_prize_due"}


def prize_payees(call: AwardCall) -> dict[int, dict]:
    """Who is paid what by the decision, per organisation, with the parts it is made of.

    S&T award: the prize to the first completing unit. Patent award: the holder's share to the holder (the lead
    unit), each inventor's share to the inventor's unit, which pays it on (代发)."""
    payees: dict[int, dict] = {}

    def add(org_id, nomination, part, fen):
        if fen <= 0:
            return
        entry = payees.setdefault(org_id, {"fen": 0, "parts": []})
        entry["fen"] += fen
        entry["parts"].append({"nomination": nomination, "part": part, "fen": fen})

    awarded = call.nominations.filter(status=NominationStatus.AWARDED).prefetch_related("contributors")
    for n in awarded.order_by("id"):
        if call.kind == AwardKind.PATENT_AWARD:
            shares = [(c, c.share_fen) for c in n.contributors.all()]
            add(n.lead_unit_id, n, _("专利权人份额"), n.prize_fen - sum(f for _c, f in shares))
            for c, fen in shares:
                add(c.unit_id, n, _("发明人 %(name)s 份额（代发）") % {"name": c.name}, fen)
        else:
            add(n.lead_unit_id, n, _("奖金（第一完成单位）"), n.prize_fen)
    return payees


def _check_round(call_or_year, round_, policy_codes, acting_user):
    from kechuang.permissions.policy import can_manage_round
    from kechuang.policy.models import Round

    round_ = Round.objects.select_for_update(of=("self",)).select_related("fund__programme").get(pk=round_.pk)
    if not can_manage_round(acting_user, round_):
        raise PermissionDenied("policy.round:manage")
    if round_.status != Round.Status.DRAFT or round_.mode != Round.Mode.APPLY:
        raise StateError(_("请选择一个受理中的、依申请方式的奖补批次。"))
    missing = [c for c in policy_codes if c not in round_.policy_codes]
    if missing:
        raise DomainError(
            ErrorCode.INVALID,
            _("该批次不包含政策：%(codes)s。") % {"codes": "、".join(missing)},
            status=422,
        )
    if round_.year != call_or_year:
        raise DomainError(
            ErrorCode.INVALID,
            _("批次的数据年度（%(r)s）应为 %(y)s。") % {"r": round_.year, "y": call_or_year},
            status=422,
        )
    return round_


def _publish(
    payees: dict[int, int], indicator: str, policy_code: str, *, year, reference, expect: bool
) -> list:
    """Write each payee's figure as a registry indicator (source: the platform's own records) and return the
    decided payouts for the policy payout workflow (`kechuang.policy.services.do_add_decided_candidates`), which
    computes each amount by the policy engine from that figure. With `expect`, the figure is the amount itself and
    the engine's amount must equal it: a difference is refused, never paid."""
    from kechuang.policy.services import Decided
    from kechuang.registry.models import IndicatorSource, Organisation
    from kechuang.registry.services import do_record_indicator

    decided = []
    for org in Organisation.objects.filter(pk__in=list(payees)).order_by("pk"):
        do_record_indicator(
            org,
            indicator,
            year,
            payees[org.pk],
            acting_user=None,
            source=IndicatorSource.PLATFORM,
            reference=reference[:200],
        )
        expect_fen = payees[org.pk] if expect else None
        decided.append(Decided(org, policy_code, payees[org.pk], reference, expect_fen=expect_fen))
    return decided


@transaction.atomic
def do_pay_prizes(call: AwardCall, round_, *, acting_user):
    """Hand the approved prizes to the policy payout workflow: one candidate per payee on `round_` (a round of a
    programme with the prize policy, 依申请, accepting), computed by the engine from the decision, starting as
    recommended; the round then goes on through the 联合会审, notice, 财政会签, approval, payment batch and the bank's
    return file like every payout. Paying twice is impossible: the round is the call's only one, and the payment
    is unique per organisation and thing."""
    from kechuang.policy import services as policy

    call = AwardCall.objects.select_for_update().get(pk=call.pk)
    _require_manager(acting_user, call)
    if call.status != CallStatus.APPROVED:
        raise StateError(_("获奖名单批准后才能拨付奖金。"))
    if call.payout_round_id:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("奖金已交由批次“%(name)s”拨付。") % {"name": call.payout_round.name},
            status=409,
        )
    code = PRIZE_POLICY[call.kind]
    round_ = _check_round(call.year, round_, [code], acting_user)
    payees = prize_payees(call)
    if not payees:
        raise StateError(_("没有应付的奖金。"))
    reference = _("%(name)s（%(doc)s）获奖决定") % {"name": call.name, "doc": call.decision_document}
    decided = _publish(
        {org_id: p["fen"] for org_id, p in payees.items()},
        PRIZE_INDICATOR[call.kind],
        code,
        year=call.year,
        reference=reference,
        expect=True,
    )
    policy.do_add_decided_candidates(round_, decided, acting_user=acting_user)
    call.payout_round = round_
    call.save(update_fields=["payout_round"])
    record(
        "awards.prizes.pay",
        call,
        acting_user=acting_user,
        changes={
            "round": [None, round_.pk],
            "payees": [None, len(payees)],
            "prize_fen": [None, sum(p["fen"] for p in payees.values())],
        },
    )
    return round_


def payout_rows(call: AwardCall) -> list[dict]:
    """Each payee of the call with its parts and where its money is in the payout workflow."""
    from kechuang.policy.models import Candidate
    from kechuang.registry.models import Organisation

    payees = prize_payees(call)
    orgs = Organisation.objects.in_bulk(list(payees))
    candidates = {}
    if call.payout_round_id:
        candidates = {
            c.organisation_id: c
            for c in Candidate.objects.filter(
                round_id=call.payout_round_id, policy_code=PRIZE_POLICY[call.kind]
            ).select_related("payment")
        }
    rows = []
    for org_id, p in sorted(payees.items(), key=lambda kv: orgs[kv[0]].name):
        c = candidates.get(org_id)
        rows.append(
            {
                "organisation": orgs[org_id],
                "fen": p["fen"],
                "parts": p["parts"],
                "candidate": c,
                "payment": getattr(c, "payment", None) if c else None,
            }
        )
    return rows
