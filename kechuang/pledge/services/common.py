"""The loan lifecycle table and the helpers every pledge service shares (locking, money and term checks, one transition)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions.pledge import BANK, ENTERPRISE, can_act_as_bank, can_act_as_enterprise
from kechuang.pledge.models import LoanApplication, LoanStatus
from kechuang.states import Machine

PRODUCT_LANGUAGES = ("zh-hans", "en")

MAX_TERM_MONTHS = 120

S = LoanStatus

# status → {action: (party, next status)}
TRANSITIONS = {
    S.APPLIED: {
        "value": (BANK, S.VALUED),
        "approve": (BANK, S.APPROVED),
        "reject": (BANK, S.REJECTED),
        "withdraw": (ENTERPRISE, S.WITHDRAWN),
    },
    S.VALUED: {
        "approve": (BANK, S.APPROVED),
        "reject": (BANK, S.REJECTED),
        "withdraw": (ENTERPRISE, S.WITHDRAWN),
    },
    S.APPROVED: {"register": (BANK, S.REGISTERED), "withdraw": (ENTERPRISE, S.WITHDRAWN)},
    S.REGISTERED: {"disburse": (BANK, S.DISBURSED)},
    S.DISBURSED: {"repay": (BANK, S.DISBURSED), "default": (BANK, S.DEFAULTED)},
    S.DEFAULTED: {"share_risk": (BANK, S.RISK_SHARED)},
    S.RISK_SHARED: {"dispose": (BANK, S.DISPOSED)},
}

ACTION_LABELS = {
    "value": _l("登记评估"),
    "approve": _l("批准授信"),
    "reject": _l("拒绝"),
    "withdraw": _l("撤回申请"),
    "register": _l("登记质押"),
    "disburse": _l("放款"),
    "repay": _l("登记还款"),
    "default": _l("认定违约"),
    "share_risk": _l("分担风险"),
    "dispose": _l("处置质押专利"),
}


def today() -> dt.date:
    return timezone.localdate()


LOAN = Machine(
    "pledge.loan",
    TRANSITIONS,
    labels=ACTION_LABELS,
    parties={BANK: can_act_as_bank, ENTERPRISE: can_act_as_enterprise},
    model=LoanApplication,
)


def step(app: LoanApplication, action: str) -> LoanStatus:
    return LoanStatus(LOAN.step(app, action))


def available_actions(user, app: LoanApplication) -> list[str]:
    """The actions this user may take on this loan now (the page shows only these)."""
    actions = LOAN.available(user, app)
    if action_requires_valuation(app) and "approve" in actions and app.status == S.APPLIED:
        actions.remove("approve")
    return actions


def action_requires_valuation(app: LoanApplication) -> bool:
    return app.product.requires_valuation and app.valuation_fen is None


def lock_loan(app: LoanApplication) -> LoanApplication:
    return (
        LoanApplication.objects.select_for_update(of=("self",))
        .select_related("product", "need", "enterprise")
        .get(pk=app.pk)
    )


def check_money(amount_fen, field: str) -> int:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("金额必须是正整数（分）。"), {"field": field})
    return amount_fen


def check_term(months, field: str = "term_months") -> int:
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_TERM_MONTHS:
        raise DomainError(
            ErrorCode.INVALID,
            _("期限必须是 1 到 %(max)d 个月。") % {"max": MAX_TERM_MONTHS},
            {"field": field},
        )
    return months


def transition(
    app: LoanApplication, action: str, *, acting_user, changes: dict, note: str = ""
) -> LoanApplication:
    before = app.status
    app.status = step(app, action)
    app.save()
    record(
        f"pledge.loan.{action}",
        app,
        acting_user=acting_user,
        changes={"status": [before, app.status], **changes},
        note=note,
    )
    return app
