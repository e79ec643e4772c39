"""Applications for a loan: apply, withdraw, reject, valuation, credit approval, pledge registration."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import apply_bp, percent_text, wan_text
from kechuang.permissions import require
from kechuang.permissions.pledge import ENTERPRISE, can_act_as_bank, can_act_as_enterprise, party_of
from kechuang.pledge.errors import PledgeError
from kechuang.pledge.matching import explain_need_product
from kechuang.pledge.models import (
    CooperationModel,
    FinancingNeed,
    LoanApplication,
    LoanProduct,
    Patent,
    Pledge,
    ValuationMethod,
)
from kechuang.pledge.services.common import (
    S,
    action_requires_valuation,
    check_money,
    lock_loan,
    step,
    today,
    transition,
)
from kechuang.pledge.services.patents import check_eligibility, raise_refusals
from kechuang.registry.models import Organisation, OrganisationKind


@transaction.atomic
def do_apply(
    need: FinancingNeed, product: LoanProduct, *, acting_user, cooperation_model: str = ""
) -> LoanApplication:
    """An enterprise applies to a product with a published need; the product must fit and the patents be pledgeable."""
    require(
        party_of(acting_user) == ENTERPRISE and need.enterprise_id == acting_user.organisation_id,
        "pledge.application:apply",
    )
    need = FinancingNeed.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=need.pk)
    if need.status != FinancingNeed.Status.PUBLISHED:
        raise StateError(_("该融资需求已关闭，不能再申请。"))
    if not product.is_active:
        raise StateError(_("该贷款产品已下架。"))
    model = (
        cooperation_model
        or need.preferred_model
        or min(product.models_supported, key=list(CooperationModel.values).index)
    )
    if model not in product.models_supported:
        raise DomainError(
            PledgeError.PRODUCT_MISMATCH,
            _("该产品不支持“%(model)s”合作模式。") % {"model": CooperationModel(model).label},
        )
    match = explain_need_product(need, product)
    if not match.fits:
        raise DomainError(
            PledgeError.PRODUCT_MISMATCH,
            _("该产品不适合此需求：%(why)s。") % {"why": "；".join(match.failures)},
            {"failures": match.failures},
        )
    open_statuses = [S.APPLIED, S.VALUED, S.APPROVED, S.REGISTERED, S.DISBURSED]
    if LoanApplication.objects.filter(need=need, product=product, status__in=open_statuses).exists():
        raise DomainError(PledgeError.DUPLICATE_APPLICATION, _("已就此需求向该产品提交过申请。"), status=409)
    patents = list(need.patents.all())
    raise_refusals(check_eligibility(need.enterprise_id, patents, need.term_months))
    app = LoanApplication.objects.create(
        need=need,
        product=product,
        enterprise_id=need.enterprise_id,
        bank_id=product.bank_id,
        cooperation_model=model,
        amount_fen=need.amount_fen,
        term_months=need.term_months,
    )
    app.patents.set(patents)
    record(
        "pledge.loan.apply",
        app,
        acting_user=acting_user,
        changes={
            "status": [None, app.status],
            "product": [None, product.pk],
            "bank": [None, product.bank_id],
            "amount_fen": [None, app.amount_fen],
            "cooperation_model": [None, model],
        },
    )
    return app


@transaction.atomic
def do_withdraw(app: LoanApplication, *, acting_user) -> LoanApplication:
    require(can_act_as_enterprise(acting_user, app), "pledge.application:withdraw")
    app = lock_loan(app)
    return transition(app, "withdraw", acting_user=acting_user, changes={})


@transaction.atomic
def do_reject(app: LoanApplication, *, acting_user, reason: str) -> LoanApplication:
    require(can_act_as_bank(acting_user, app), "pledge.application:decide")
    app = lock_loan(app)
    if not (reason or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请说明拒绝理由。"), {"field": "reason"})
    app.decision_note = reason.strip()[:500]
    return transition(
        app, "reject", acting_user=acting_user, changes={"decision_note": [None, app.decision_note]}
    )


@transaction.atomic
def do_record_valuation(
    app: LoanApplication,
    *,
    acting_user,
    method: str,
    valuer: str,
    report: str,
    valuation_fen: int,
    fee_fen: int = 0,
    valued_on: dt.date | None = None,
) -> LoanApplication:
    require(can_act_as_bank(acting_user, app), "pledge.application:value")
    app = lock_loan(app)
    if method not in ValuationMethod.values:
        raise DomainError(ErrorCode.INVALID, _("评估方法须为收益法、市场法或成本法。"), {"field": "method"})
    if not (valuer or "").strip() or not (report or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请填写评估机构和评估报告编号。"), {"field": "valuer"})
    check_money(valuation_fen, "valuation_fen")
    if isinstance(fee_fen, bool) or not isinstance(fee_fen, int) or fee_fen < 0:
        raise DomainError(ErrorCode.INVALID, _("评估费不能为负数。"), {"field": "fee_fen"})
    app.valuation_method, app.valuer, app.valuation_report = (
        method,
        valuer.strip()[:200],
        report.strip()[:100],
    )
    app.valuation_fen, app.valuation_fee_fen, app.valued_on = valuation_fen, fee_fen, valued_on or today()
    return transition(
        app,
        "value",
        acting_user=acting_user,
        changes={
            "valuation_method": [None, method],
            "valuer": [None, app.valuer],
            "valuation_report": [None, app.valuation_report],
            "valuation_fen": [None, valuation_fen],
            "valuation_fee_fen": [None, fee_fen],
        },
    )


def _party_org(org_id, kind: str, label):
    if not org_id:
        raise DomainError(PledgeError.MISSING_PARTY, _("此合作模式需要指定%(party)s。") % {"party": label})
    org = Organisation.objects.filter(pk=org_id, kind=kind, is_active=True).first()
    if org is None:
        raise DomainError(PledgeError.MISSING_PARTY, _("所选机构不是%(party)s。") % {"party": label})
    return org


@transaction.atomic
def do_approve_credit(
    app: LoanApplication,
    *,
    acting_user,
    amount_fen: int,
    rate_bp: int,
    insurer_id=None,
    guarantor_id=None,
    insurance_premium_fen: int = 0,
    guarantee_fee_fen: int = 0,
    approved_on: dt.date | None = None,
) -> LoanApplication:
    """Credit approval by the bank: amount within the product and, if valued, within the pledge rate; the insurer and
    guarantor the cooperation model needs are named here."""
    require(can_act_as_bank(acting_user, app), "pledge.application:approve")
    app = lock_loan(app)
    step(app, "approve")
    if action_requires_valuation(app):
        raise StateError(_("该产品要求评估报告，请先登记评估结果。"), {"missing": "valuation"})
    check_money(amount_fen, "amount_fen")
    product = app.product
    if not product.min_amount_fen <= amount_fen <= min(product.max_amount_fen, app.amount_fen):
        raise DomainError(
            ErrorCode.INVALID,
            _("授信金额须在 %(low)s 到 %(high)s 万元之间。")
            % {
                "low": wan_text(product.min_amount_fen),
                "high": wan_text(min(product.max_amount_fen, app.amount_fen)),
            },
            {"field": "amount_fen"},
        )
    if app.valuation_fen is not None:
        ceiling = apply_bp(app.valuation_fen, product.max_ltv_bp)
        if amount_fen > ceiling:
            raise DomainError(
                PledgeError.OVER_VALUATION,
                _("授信金额 %(amount)s 万元超过评估价值 %(value)s 万元 × 质押率 %(ltv)s = %(ceiling)s 万元。")
                % {
                    "amount": wan_text(amount_fen),
                    "value": wan_text(app.valuation_fen),
                    "ltv": percent_text(product.max_ltv_bp),
                    "ceiling": wan_text(ceiling),
                },
            )
    if isinstance(rate_bp, bool) or not isinstance(rate_bp, int) or not 1 <= rate_bp <= 2400:
        raise DomainError(
            ErrorCode.INVALID, _("年利率须在 0.01% 到 24% 之间（以基点计）。"), {"field": "rate_bp"}
        )
    for fee, field in (
        (insurance_premium_fen, "insurance_premium_fen"),
        (guarantee_fee_fen, "guarantee_fee_fen"),
    ):
        if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
            raise DomainError(ErrorCode.INVALID, _("费用不能为负数。"), {"field": field})
    insurer = (
        _party_org(insurer_id, OrganisationKind.INSURER, _("保险机构"))
        if CooperationModel.needs_insurer(app.cooperation_model)
        else None
    )
    guarantor = (
        _party_org(guarantor_id, OrganisationKind.GUARANTOR, _("担保机构"))
        if CooperationModel.needs_guarantor(app.cooperation_model)
        else None
    )
    app.approved_amount_fen, app.rate_bp, app.approved_on = amount_fen, rate_bp, approved_on or today()
    app.insurer, app.guarantor = insurer, guarantor
    app.insurance_premium_fen = insurance_premium_fen if insurer else 0
    app.guarantee_fee_fen = guarantee_fee_fen if guarantor else 0
    return transition(
        app,
        "approve",
        acting_user=acting_user,
        changes={
            "approved_amount_fen": [None, amount_fen],
            "rate_bp": [None, rate_bp],
            "insurer": [None, insurer.pk if insurer else None],
            "guarantor": [None, guarantor.pk if guarantor else None],
            "insurance_premium_fen": [None, app.insurance_premium_fen],
            "guarantee_fee_fen": [None, app.guarantee_fee_fen],
        },
    )


@transaction.atomic
def do_register_pledge(
    app: LoanApplication, *, acting_user, registration_number: str, registered_on: dt.date | None = None
) -> LoanApplication:
    """Pledge registration: every refusal ground is checked again on the registration date; a patent is never pledged twice."""
    require(can_act_as_bank(acting_user, app), "pledge.application:register")
    app = lock_loan(app)
    step(app, "register")
    number = (registration_number or "").strip()
    if not number:
        raise DomainError(ErrorCode.INVALID, _("请填写质押登记号。"), {"field": "registration_number"})
    registered_on = registered_on or today()
    patents = list(Patent.objects.select_for_update().filter(applications=app))
    raise_refusals(
        check_eligibility(
            app.enterprise_id, patents, app.term_months, as_of=registered_on, exclude_application_id=app.pk
        )
    )
    try:
        with transaction.atomic():
            Pledge.objects.bulk_create(
                [
                    Pledge(
                        application=app,
                        patent=p,
                        registration_number=number[:60],
                        registered_on=registered_on,
                    )
                    for p in patents
                ]
            )
    except IntegrityError:
        raise DomainError(
            PledgeError.ALREADY_PLEDGED, _("其中有专利刚刚被另一笔贷款质押，不能重复质押。"), status=409
        )
    app.registration_number, app.registered_on = number[:60], registered_on
    need = app.need
    if need.status == FinancingNeed.Status.PUBLISHED:  # the need is met: banks stop seeing it
        need.status = FinancingNeed.Status.CLOSED
        need.save(update_fields=["status"])
        record(
            "pledge.need.close",
            need,
            acting_user=acting_user,
            changes={"status": ["published", "closed"]},
            note=f"pledge registered for loan #{app.pk}",
        )
    # the need's other open applications can no longer be met: its patents are pledged here
    others = (
        LoanApplication.objects.select_for_update()
        .filter(need=need, status__in=[S.APPLIED, S.VALUED, S.APPROVED])
        .exclude(pk=app.pk)
    )
    for other in others:
        before = other.status
        other.status, other.decision_note = (
            S.WITHDRAWN,
            str(_("该融资需求已在其他银行完成质押登记，本申请自动撤回。")),
        )
        other.save(update_fields=["status", "decision_note", "updated_at"])
        record(
            "pledge.loan.withdraw",
            other,
            acting_user=acting_user,
            changes={"status": [before, S.WITHDRAWN]},
            note="need met by another loan",
        )
    return transition(
        app,
        "register",
        acting_user=acting_user,
        changes={
            "registration_number": [None, app.registration_number],
            "registered_on": [None, registered_on],
            "patents": [None, [p.application_number for p in patents]],
        },
    )
