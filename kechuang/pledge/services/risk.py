"""Risk sharing after a default: the schemes, each party's share (the remainder rule), payment and disposal."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import BP, percent_text, split_by_ratios
from kechuang.permissions import require
from kechuang.permissions.pledge import can_act_as_bank, can_configure, can_pay_share
from kechuang.pledge.errors import PledgeError
from kechuang.pledge.models import CooperationModel, LoanApplication, RiskParty, RiskShare, RiskSharingScheme
from kechuang.pledge.services.common import lock_loan, step, today, transition
from kechuang.pledge.services.repayment import release_pledges


def check_scheme_ratios(model: str, bank_bp: int, insurer_bp: int, guarantor_bp: int, fund_bp: int) -> None:
    ratios = {"bank_bp": bank_bp, "insurer_bp": insurer_bp, "guarantor_bp": guarantor_bp, "fund_bp": fund_bp}
    for field, value in ratios.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= BP:
            raise DomainError(ErrorCode.INVALID, _("比例须在 0 到 100% 之间。"), {"field": field})
    total = sum(ratios.values())
    if total != BP:
        raise DomainError(
            PledgeError.RATIOS_NOT_100,
            _("风险分担比例合计为 %(total)s，必须正好是 100%%。") % {"total": percent_text(total)},
            {"total_bp": total},
        )
    if insurer_bp and not CooperationModel.needs_insurer(model):
        raise DomainError(
            PledgeError.RATIOS_NOT_100,
            _("此合作模式没有保险机构，保险承担比例必须为 0。"),
            {"field": "insurer_bp"},
        )
    if guarantor_bp and not CooperationModel.needs_guarantor(model):
        raise DomainError(
            PledgeError.RATIOS_NOT_100,
            _("此合作模式没有担保机构，担保承担比例必须为 0。"),
            {"field": "guarantor_bp"},
        )


@transaction.atomic
def do_configure_risk_scheme(
    *,
    acting_user,
    cooperation_model: str,
    bank_bp: int,
    insurer_bp: int = 0,
    guarantor_bp: int = 0,
    fund_bp: int = 0,
    effective_from: dt.date,
    document_number: str = "",
    verified: bool = False,
) -> RiskSharingScheme:
    """A new version of the ratios for one cooperation model, effective from a date; earlier versions stay."""
    require(can_configure(acting_user), "pledge.config:manage")
    if cooperation_model not in CooperationModel.values:
        raise DomainError(ErrorCode.INVALID, _("未知的合作模式。"), {"field": "cooperation_model"})
    check_scheme_ratios(cooperation_model, bank_bp, insurer_bp, guarantor_bp, fund_bp)
    scheme = RiskSharingScheme.objects.create(
        cooperation_model=cooperation_model,
        bank_bp=bank_bp,
        insurer_bp=insurer_bp,
        guarantor_bp=guarantor_bp,
        fund_bp=fund_bp,
        effective_from=effective_from,
        document_number=(document_number or "").strip()[:100],
        verified=verified,
        created_by=acting_user,
    )
    record(
        "pledge.scheme.configure",
        scheme,
        acting_user=acting_user,
        changes={
            k: [None, v]
            for k, v in {
                "cooperation_model": cooperation_model,
                "bank_bp": bank_bp,
                "insurer_bp": insurer_bp,
                "guarantor_bp": guarantor_bp,
                "fund_bp": fund_bp,
                "effective_from": effective_from,
                "document_number": document_number,
                "verified": verified,
            }.items()
        },
    )
    return scheme


def scheme_for(model: str, on: dt.date) -> RiskSharingScheme | None:
    return (
        RiskSharingScheme.objects.filter(cooperation_model=model, effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )


RISK_ORDER = [RiskParty.BANK, RiskParty.INSURER, RiskParty.GUARANTOR, RiskParty.FUND]

REMAINDER_RULE = _l(
    "各方金额 = 违约余额 × 比例，向下取整到分；剩余的几分钱逐分分给比例最大的一方（比例相同时依次为银行、保险、担保、补偿资金）。各方合计恰好等于违约余额。"
)


@transaction.atomic
def do_share_risk(app: LoanApplication, *, acting_user) -> list[RiskShare]:
    """Split the outstanding balance at default among bank, insurer, guarantor and fund by the scheme in force that day."""
    require(can_act_as_bank(acting_user, app), "pledge.application:share_risk")
    app = lock_loan(app)
    step(app, "share_risk")
    scheme = scheme_for(app.cooperation_model, app.defaulted_on)
    if scheme is None:
        raise DomainError(
            PledgeError.NO_SCHEME,
            _("“%(model)s”模式在 %(date)s 没有生效的风险分担比例，请联系科技厅配置。")
            % {"model": app.get_cooperation_model_display(), "date": app.defaulted_on},
        )
    ratios = scheme.ratios()
    check_scheme_ratios(scheme.cooperation_model, *[ratios[p] for p in RISK_ORDER])
    amounts = split_by_ratios(app.default_balance_fen, ratios, RISK_ORDER)
    orgs = {
        RiskParty.BANK: app.bank_id,
        RiskParty.INSURER: app.insurer_id,
        RiskParty.GUARANTOR: app.guarantor_id,
        RiskParty.FUND: None,
    }
    shares = [
        RiskShare(
            application=app,
            scheme=scheme,
            party=p,
            organisation_id=orgs[p],
            ratio_bp=ratios[p],
            amount_fen=amounts[p],
        )
        for p in RISK_ORDER
        if ratios[p]
    ]
    RiskShare.objects.bulk_create(shares)
    transition(
        app,
        "share_risk",
        acting_user=acting_user,
        note=str(REMAINDER_RULE),
        changes={
            "scheme": [None, scheme.pk],
            "shares": [None, {p: amounts[p] for p in RISK_ORDER if ratios[p]}],
        },
    )
    return list(app.risk_shares.all())


@transaction.atomic
def do_pay_risk_share(share: RiskShare, *, acting_user, paid_on: dt.date | None = None) -> RiskShare:
    """Each sharer confirms that it has paid its own share; the fund's share is confirmed by the department."""
    require(can_pay_share(acting_user, share), "pledge.risk_share:pay")
    share = RiskShare.objects.select_for_update().get(pk=share.pk)
    if share.paid_on:
        raise StateError(
            _("该份额已于 %(date)s 确认支付。") % {"date": share.paid_on},
            {"paid_on": share.paid_on.isoformat()},
        )
    share.paid_on = paid_on or today()
    share.save(update_fields=["paid_on"])
    record(
        "pledge.risk_share.pay",
        share.application,
        acting_user=acting_user,
        changes={f"share:{share.party}": [None, {"amount_fen": share.amount_fen, "paid_on": share.paid_on}]},
    )
    return share


@transaction.atomic
def do_dispose(
    app: LoanApplication, *, acting_user, method: str, proceeds_fen: int, disposed_on: dt.date | None = None
) -> LoanApplication:
    """Disposal of the pledged patents (auction, transfer, licensing); the pledges are released."""
    require(can_act_as_bank(acting_user, app), "pledge.application:dispose")
    app = lock_loan(app)
    step(app, "dispose")
    if not (method or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请填写处置方式。"), {"field": "method"})
    if isinstance(proceeds_fen, bool) or not isinstance(proceeds_fen, int) or proceeds_fen < 0:
        raise DomainError(ErrorCode.INVALID, _("处置回收金额不能为负数。"), {"field": "proceeds_fen"})
    app.disposal_method, app.disposal_proceeds_fen, app.disposed_on = (
        method.strip()[:100],
        proceeds_fen,
        disposed_on or today(),
    )
    release_pledges(app, app.disposed_on)
    # the proceeds (up to the shared loss) go back to the sharers by the same ratios and remainder rule
    shares = list(app.risk_shares.select_for_update())
    recovered = {}
    if shares:
        ratios = {s.party: s.ratio_bp for s in shares}
        ratios.update({p: 0 for p in RISK_ORDER if p not in ratios})
        amounts = split_by_ratios(min(proceeds_fen, app.default_balance_fen or 0), ratios, RISK_ORDER)
        for share in shares:
            share.recovered_fen = amounts[share.party]
            share.save(update_fields=["recovered_fen"])
            recovered[share.party] = share.recovered_fen
    return transition(
        app,
        "dispose",
        acting_user=acting_user,
        changes={
            "disposal_method": [None, app.disposal_method],
            "disposal_proceeds_fen": [None, proceeds_fen],
            "recovered": [None, recovered],
        },
    )
