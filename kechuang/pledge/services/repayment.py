"""Disbursement, the repayment schedule, repayments and default."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.money import monthly_interest, yuan_text
from kechuang.permissions import require
from kechuang.permissions.pledge import can_act_as_bank
from kechuang.pledge import terms
from kechuang.pledge.errors import PledgeError
from kechuang.pledge.models import Instalment, LoanApplication, Patent, Pledge, Repayment
from kechuang.pledge.services.common import S, lock_loan, step, today, transition


def repayment_schedule(amount_fen: int, rate_bp: int, term_months: int, start: dt.date) -> list[Instalment]:
    """Interest monthly on the outstanding balance, principal in equal monthly parts; the last part takes the remainder."""
    part = amount_fen // term_months
    rows, balance = [], amount_fen
    for seq in range(1, term_months + 1):
        principal = part if seq < term_months else balance
        rows.append(
            Instalment(
                seq=seq,
                due_date=terms.add_months(start, seq),
                principal_fen=principal,
                interest_fen=monthly_interest(balance, rate_bp),
            )
        )
        balance -= principal
    return rows


@transaction.atomic
def do_disburse(app: LoanApplication, *, acting_user, disbursed_on: dt.date | None = None) -> LoanApplication:
    require(can_act_as_bank(acting_user, app), "pledge.application:disburse")
    app = lock_loan(app)
    step(app, "disburse")
    disbursed_on = disbursed_on or today()
    maturity = terms.add_months(disbursed_on, app.term_months)
    shortest = Patent.objects.filter(applications=app).order_by("expiry_date").first()
    if shortest and maturity > shortest.expiry_date:
        raise DomainError(
            PledgeError.TERM_TOO_LONG,
            _(
                "贷款到期日 %(maturity)s 晚于质押专利 %(number)s 的期限届满日 %(expiry)s，贷款期限不能长于专利剩余期限。"
            )
            % {"maturity": maturity, "number": shortest.application_number, "expiry": shortest.expiry_date},
        )
    app.disbursed_on, app.maturity_date, app.balance_fen = disbursed_on, maturity, app.approved_amount_fen
    schedule = repayment_schedule(app.approved_amount_fen, app.rate_bp, app.term_months, disbursed_on)
    for row in schedule:
        row.application = app
    Instalment.objects.bulk_create(schedule)
    return transition(
        app,
        "disburse",
        acting_user=acting_user,
        changes={
            "disbursed_on": [None, disbursed_on],
            "maturity_date": [None, maturity],
            "balance_fen": [0, app.balance_fen],
        },
    )


def release_pledges(app: LoanApplication, on: dt.date) -> None:
    Pledge.objects.filter(application=app, active=True).update(active=False, released_on=on)


@transaction.atomic
def do_record_repayment(
    app: LoanApplication,
    *,
    acting_user,
    principal_fen: int,
    interest_fen: int = 0,
    paid_on: dt.date | None = None,
) -> Repayment:
    """A repayment reduces the balance; it can never exceed it. The last one closes the loan and releases the pledge."""
    require(can_act_as_bank(acting_user, app), "pledge.application:repay")
    app = lock_loan(app)
    step(app, "repay")
    for value, field in ((principal_fen, "principal_fen"), (interest_fen, "interest_fen")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DomainError(ErrorCode.INVALID, _("还款金额必须是非负整数（分）。"), {"field": field})
    if principal_fen == 0 and interest_fen == 0:
        raise DomainError(ErrorCode.INVALID, _("还款金额不能为零。"), {"field": "principal_fen"})
    if principal_fen > app.balance_fen:
        raise DomainError(
            PledgeError.REPAYMENT_EXCEEDS_BALANCE,
            _("还款本金 %(amount)s 元大于贷款余额 %(balance)s 元。")
            % {"amount": yuan_text(principal_fen), "balance": yuan_text(app.balance_fen)},
            {"balance_fen": app.balance_fen},
        )
    paid_on = paid_on or today()
    repayment = Repayment.objects.create(
        application=app,
        paid_on=paid_on,
        principal_fen=principal_fen,
        interest_fen=interest_fen,
        recorded_by=acting_user,
    )
    before = app.balance_fen
    app.balance_fen -= principal_fen
    changes = {
        "balance_fen": [before, app.balance_fen],
        "repayment": [
            None,
            {"principal_fen": principal_fen, "interest_fen": interest_fen, "paid_on": paid_on},
        ],
    }
    if app.balance_fen == 0:
        app.status, app.closed_on = S.CLOSED, paid_on
        release_pledges(app, paid_on)
        changes["status"] = [S.DISBURSED, S.CLOSED]
    app.save()
    record("pledge.loan.repay", app, acting_user=acting_user, changes=changes)
    return repayment


@transaction.atomic
def do_declare_default(
    app: LoanApplication, *, acting_user, defaulted_on: dt.date | None = None, note: str = ""
) -> LoanApplication:
    require(can_act_as_bank(acting_user, app), "pledge.application:default")
    app = lock_loan(app)
    step(app, "default")
    app.defaulted_on, app.default_balance_fen = defaulted_on or today(), app.balance_fen
    return transition(
        app,
        "default",
        acting_user=acting_user,
        note=note,
        changes={
            "defaulted_on": [None, app.defaulted_on],
            "default_balance_fen": [None, app.default_balance_fen],
        },
    )
