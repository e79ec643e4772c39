"""Clawback: the tax authority lowered a figure after payment; the overpayment and its recovery."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import yuan_text
from kechuang.permissions import require
from kechuang.permissions.policy import PolicyCap, can_pay_round
from kechuang.policy.engine import NOT_COMPUTABLE
from kechuang.policy.models import Candidate, Fund, LedgerEntry, Payment, Round
from kechuang.policy.services.calculator import calculate_for_organisation


def fund_balance(fund: Fund) -> int:
    return fund.ledger.aggregate(s=Sum("amount_fen"))["s"] or 0


# ---- clawback: the tax authority lowered a figure after payment -------------------------------------------------


def _recomputed_award(candidate: Candidate, recomputed_fen: int) -> int:
    """What the candidate would have been awarded on the new figures: the same whole-元 rule, and where the round
    paid less than computed (pro-rating), the same share of the new amount."""
    whole = recomputed_fen // 100 * 100
    computed_whole = candidate.computed_fen // 100 * 100
    if candidate.awarded_fen < computed_whole and computed_whole > 0:
        return whole * candidate.awarded_fen // computed_whole // 100 * 100
    return whole


@transaction.atomic
def do_check_clawback(payment: Payment, *, acting_user):
    """Recompute a paid award on the figures as they stand now (the tax authority may have lowered the confirmed
    R&D expense). Where the new award is lower than what was paid, record the overpayment to recover; shown to the
    officials and to the enterprise. Returns the Recovery, or None when nothing is owed. Idempotent: the same
    overpayment is recorded once."""
    from kechuang.policy.models import Recovery

    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("candidate", "candidate__round", "organisation")
        .get(pk=payment.pk)
    )
    require(can_pay_round(acting_user, payment.candidate.round), PolicyCap.PAY)
    if payment.status != Payment.Status.PAID:
        raise StateError(_("只对已到账的拨付核查多拨。"))
    candidate = payment.candidate
    calc = calculate_for_organisation(
        payment.organisation, candidate.round.year, codes=[candidate.policy_code]
    )[0]
    recomputed = calc.result.amount if calc.result.eligible else 0
    due = _recomputed_award(candidate, recomputed)
    already = sum(r.overpaid_fen for r in Recovery.objects.select_for_update().filter(payment=payment))
    overpaid = payment.amount_fen - due - already
    if overpaid <= 0:
        return None
    reason = _(
        "按现有数据重新测算为 %(now)s 元（当时 %(then)s 元），应核定 %(due)s 元，已拨付 %(paid)s 元"
    ) % {
        "now": yuan_text(recomputed),
        "then": yuan_text(candidate.computed_fen),
        "due": yuan_text(due),
        "paid": yuan_text(payment.amount_fen),
    }
    if calc.result.status == NOT_COMPUTABLE or not calc.result.eligible:
        reason += _("；现不符合：%(why)s") % {"why": calc.reason}
    recovery = Recovery.objects.create(
        payment=payment,
        candidate=candidate,
        organisation=payment.organisation,
        paid_fen=payment.amount_fen,
        recomputed_fen=due,
        overpaid_fen=overpaid,
        reason=reason[:255],
        trace=calc.result.trace,
        created_by=acting_user,
    )
    record(
        "policy.recovery.create",
        recovery,
        acting_user=acting_user,
        organisation_id=payment.organisation_id,
        changes={"overpaid_fen": [None, overpaid], "recomputed_fen": [None, due]},
        note=reason[:200],
    )
    return recovery


def do_check_clawbacks(round_: Round, *, acting_user) -> list:
    """Every paid award of a round rechecked (see do_check_clawback); the overpayments found."""
    require(can_pay_round(acting_user, round_), PolicyCap.PAY)
    found = []
    for payment in Payment.objects.filter(batch__round=round_, status=Payment.Status.PAID).order_by("id"):
        recovery = do_check_clawback(payment, acting_user=acting_user)
        if recovery is not None:
            found.append(recovery)
    return found


@transaction.atomic
def do_record_recovery(recovery, *, amount_fen: int, receipt: str, note: str = "", acting_user):
    """Money recovered from the enterprise, booked back into the fund's ledger (a refund entry linked to the
    recovery, audited); the recovery is closed when the whole overpayment is back.

    `receipt`: the number of the 缴款书 or bank receipt the money came back with. Idempotent: the same receipt
    recorded again for the same recovery and amount (a resubmitted form, a retried request) books nothing more and
    returns the recovery; the same receipt for other money is refused (409)."""
    from kechuang.policy.models import Recovery

    recovery = (
        Recovery.objects.select_for_update(of=("self",))
        .select_related("candidate__round__fund", "payment")
        .get(pk=recovery.pk)
    )
    require(can_pay_round(acting_user, recovery.candidate.round), PolicyCap.PAY)
    receipt = (receipt or "").strip()
    if not receipt or len(receipt) > 100:
        raise DomainError(
            ErrorCode.INVALID,
            _("请填写追回款的缴款书或银行回单号（100 字以内）。"),
            {"field": "receipt"},
            status=422,
        )
    fund = recovery.candidate.round.fund
    booked = (
        LedgerEntry.objects.select_for_update()
        .filter(fund=fund, kind=LedgerEntry.Kind.RECOVERY, receipt=receipt)
        .first()
    )
    if booked is not None:
        if booked.recovery_id == recovery.pk and booked.amount_fen == amount_fen:
            return recovery  # the same money recorded again: already in the ledger
        raise DomainError(
            ErrorCode.CONFLICT,
            _("凭证号 %(receipt)s 已登记过另一笔追回款。") % {"receipt": receipt},
            {"field": "receipt", "reason": "receipt_used"},
            status=409,
        )
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("追回金额应大于零。"), {"field": "amount_fen"}, status=422)
    left = recovery.overpaid_fen - recovery.recovered_fen
    if amount_fen > left:
        raise DomainError(
            ErrorCode.INVALID,
            _("追回金额不能超过尚未追回的 %(left)s 元。") % {"left": yuan_text(left)},
            {"field": "amount_fen"},
            status=422,
        )
    before = recovery.status
    recovery.recovered_fen += amount_fen
    if recovery.recovered_fen == recovery.overpaid_fen:
        recovery.status = Recovery.Status.RECOVERED
    recovery.recovered_by = acting_user
    recovery.recovered_at = timezone.now()
    recovery.note = (note or "").strip()[:255]
    recovery.save(update_fields=["recovered_fen", "status", "recovered_by", "recovered_at", "note"])
    entry = LedgerEntry.objects.create(
        fund=fund,
        kind=LedgerEntry.Kind.RECOVERY,
        amount_fen=amount_fen,
        recovery=recovery,
        receipt=receipt,
        note=f"{recovery.payment.reference} {_('多拨追回')}"[:255],
        created_by=acting_user,
    )
    record(
        "policy.recovery.record",
        recovery,
        acting_user=acting_user,
        organisation_id=recovery.organisation_id,
        changes={
            "recovered_fen": [recovery.recovered_fen - amount_fen, recovery.recovered_fen],
            "status": [before, recovery.status],
            "ledger_entry": [None, entry.pk],
            "receipt": [None, receipt],
        },
        note=recovery.note,
    )
    return recovery
