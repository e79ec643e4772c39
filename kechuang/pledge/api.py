"""JSON API of the patent-pledge platform; the same services and permission rules as the pages."""

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kechuang.bounds import BasisPoints, Code, CodeList, Date, Fen, Id, IdList, Months, Name, Text, Year
from kechuang.codes import CodeError, parse_application_number
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions import require
from kechuang.permissions.pledge import (
    BANK,
    ENTERPRISE,
    access_application_by_id,
    access_need_by_id,
    access_patent_by_id,
    access_product_by_id,
    can_act_on_loan,
    can_view_stats,
    party_of,
    visible_applications,
    visible_matches,
    visible_needs,
)
from kechuang.pledge import services, stats, subsidies
from kechuang.pledge.matching import needs_for_bank, products_for_need
from kechuang.pledge.models import LoanProduct, Patent, RiskShare
from kechuang.spreadsheets import xlsx_response

router = Router(tags=["pledge"])


def _party(request, *parties):
    party = party_of(request.auth)
    if party is None or parties and party not in parties:
        raise PermissionDenied("pledge")
    return party


class CoOwnerIn(Schema):
    name: Name
    consents_to_pledge: bool = False


class PatentIn(Schema):
    application_number: Annotated[str, MaxLen(30)]
    title: Name
    filing_date: Date
    grant_date: Date | None = None
    fee_paid_until: Date | None = None
    legal_status: Code = "granted"
    ipc: Annotated[str, MaxLen(30)] = ""
    in_dispute: bool = False
    invalidation_pending: bool = False
    co_owners: Annotated[list[CoOwnerIn], MaxLen(50)] = []


class PatentOut(Schema):
    id: int
    application_number: str
    patent_number: str
    patent_type: str
    title: str
    filing_date: dt.date
    grant_date: dt.date | None
    expiry_date: dt.date
    fee_paid_until: dt.date | None
    legal_status: str
    ipc: str
    in_dispute: bool
    invalidation_pending: bool
    owner_id: int


class NumberCheckOut(Schema):
    valid: bool
    number: str = ""
    patent_type: str = ""
    year: int | None = None
    message: str = ""


class RefusalOut(Schema):
    code: str
    message: str
    patent_id: int | None


class NeedIn(Schema):
    amount_fen: Fen
    term_months: Months
    purpose: Annotated[str, MaxLen(300)]
    patent_ids: IdList
    preferred_model: Code = ""


class NeedOut(Schema):
    id: int
    enterprise_id: int
    amount_fen: int
    term_months: int
    purpose: str
    preferred_model: str
    status: str
    patent_ids: list[int]

    @staticmethod
    def resolve_patent_ids(obj):
        return [p.pk for p in obj.patents.all()]


class MatchOut(Schema):
    product_id: int
    bank_id: int
    product_name: str
    rate_bp: int
    score: int
    reasons: list[str]


class BankNeedOut(Schema):
    need_id: int
    enterprise_id: int
    amount_fen: int
    term_months: int
    product_id: int
    score: int
    reasons: list[str]


class ProductText(Schema):
    name: Annotated[str, MaxLen(120)]
    description: Text = ""


class ProductIn(Schema):
    texts: Annotated[dict[Code, ProductText], MaxLen(20)]
    min_amount_fen: Fen
    max_amount_fen: Fen
    min_term_months: Months = 1
    max_term_months: Months
    rate_bp: BasisPoints
    patent_types: CodeList
    models_supported: CodeList
    requires_valuation: bool = True
    max_ltv_bp: BasisPoints = 5000
    regions: CodeList = []
    industries: CodeList = []


class ProductOut(Schema):
    id: int
    bank_id: int
    names: dict[str, str]
    min_amount_fen: int
    max_amount_fen: int
    min_term_months: int
    max_term_months: int
    rate_bp: int
    patent_types: list[str]
    models_supported: list[str]
    requires_valuation: bool
    max_ltv_bp: int
    regions: list[str]
    industries: list[str]
    is_active: bool

    @staticmethod
    def resolve_names(obj):
        return {t.language: t.name for t in obj.texts.all()}


class ApplyIn(Schema):
    need_id: Id
    product_id: Id
    cooperation_model: Code = ""


class LoanOut(Schema):
    id: int
    need_id: int
    product_id: int
    enterprise_id: int
    bank_id: int
    insurer_id: int | None
    guarantor_id: int | None
    cooperation_model: str
    amount_fen: int
    term_months: int
    status: str
    valuation_fen: int | None
    approved_amount_fen: int | None
    rate_bp: int | None
    registration_number: str
    registered_on: dt.date | None
    disbursed_on: dt.date | None
    maturity_date: dt.date | None
    balance_fen: int
    default_balance_fen: int | None


class LoanActionIn(Schema):
    """Fields of the chosen action; those the action does not use are ignored."""

    method: Annotated[str, MaxLen(100)] = ""
    valuer: Name = ""
    report: Annotated[str, MaxLen(100)] = ""
    valuation_fen: Fen | None = None
    fee_fen: Fen = 0
    amount_fen: Fen | None = None
    rate_bp: BasisPoints | None = None
    insurer_id: Id | None = None
    guarantor_id: Id | None = None
    insurance_premium_fen: Fen = 0
    guarantee_fee_fen: Fen = 0
    reason: Annotated[str, MaxLen(500)] = ""
    registration_number: Annotated[str, MaxLen(60)] = ""
    principal_fen: Fen | None = None
    interest_fen: Fen = 0
    proceeds_fen: Fen | None = None
    on: Date | None = None


class ShareOut(Schema):
    id: int
    party: str
    organisation_id: int | None
    ratio_bp: int
    amount_fen: int
    paid_on: dt.date | None


@router.get(
    "/patents/check-number",
    response=NumberCheckOut,
    summary="Validate a patent application number (check digit)",
)
def check_number(request, number: Annotated[str, MaxLen(30)]):
    try:
        parsed = parse_application_number(number)
    except CodeError as exc:
        return {"valid": False, "message": str(exc.message)}
    return {"valid": True, "number": parsed.text, "patent_type": parsed.patent_type, "year": parsed.year}


@router.get("/patents", response=list[PatentOut], summary="The caller's enterprise's patents")
def list_patents(request):
    _party(request, ENTERPRISE)
    return list(Patent.objects.filter(owner_id=request.auth.organisation_id))


@router.post("/patents", response={201: PatentOut})
def create_patent(request, payload: PatentIn):
    data = payload.dict()
    data["co_owners"] = [dict(c) for c in data["co_owners"]]
    return Status(201, services.do_register_patent(acting_user=request.auth, **data))


@router.get("/patents/{patent_id}", response=PatentOut)
def get_patent(request, patent_id: Id):
    return access_patent_by_id(request.auth, patent_id)


class PatentPatch(Schema):
    """Only the fields sent change; null clears a date and is refused elsewhere (an omitted field is left alone)."""

    title: Name = None  # type: ignore[assignment]
    grant_date: Date | None = None
    fee_paid_until: Date | None = None
    legal_status: Code = None  # type: ignore[assignment]
    ipc: Annotated[str, MaxLen(30)] = None  # type: ignore[assignment]
    in_dispute: bool = None  # type: ignore[assignment]
    invalidation_pending: bool = None  # type: ignore[assignment]
    co_owners: Annotated[list[CoOwnerIn], MaxLen(50)] = None  # type: ignore[assignment]


@router.patch(
    "/patents/{patent_id}",
    response=PatentOut,
    summary="Update legal status, annual fee, dispute flags, co-owners",
)
def patch_patent(request, patent_id: Id, payload: PatentPatch):
    patent = access_patent_by_id(request.auth, patent_id)
    data = payload.dict(exclude_unset=True)
    if "co_owners" in data and data["co_owners"] is not None:
        data["co_owners"] = [dict(c) for c in data["co_owners"]]
    return services.do_update_patent(patent, acting_user=request.auth, **data)


@router.get(
    "/patents/{patent_id}/eligibility",
    response=list[RefusalOut],
    summary="Refusal grounds for a loan of term_months",
)
def patent_eligibility(request, patent_id: Id, term_months: Months = 12):
    patent = access_patent_by_id(request.auth, patent_id)
    return [r.as_dict() for r in services.check_eligibility(patent.owner_id, [patent], term_months)]


@router.get(
    "/needs",
    response=list[NeedOut],
    summary="Own needs (enterprise), published needs (bank), all (department)",
)
def list_needs(request):
    _party(request)
    return list(visible_needs(request.auth).prefetch_related("patents")[:500])


@router.post("/needs", response={201: NeedOut})
def create_need(request, payload: NeedIn):
    return Status(201, services.do_publish_need(acting_user=request.auth, **payload.dict()))


@router.get("/needs/{need_id}", response=NeedOut)
def get_need(request, need_id: Id):
    return access_need_by_id(request.auth, need_id)


@router.get(
    "/needs/{need_id}/matches",
    response=list[MatchOut],
    summary="Products that fit the need, best first, with reasons",
)
def need_matches(request, need_id: Id):
    need = access_need_by_id(request.auth, need_id)
    lang = translation.get_language() or "zh-hans"
    rows = visible_matches(request.auth, products_for_need(need, lang))
    return [
        {
            "product_id": p.pk,
            "bank_id": p.bank_id,
            "product_name": p.name(lang),
            "rate_bp": p.rate_bp,
            "score": m.score,
            "reasons": m.reasons,
        }
        for p, m in rows
    ]


@router.get(
    "/bank/needs", response=list[BankNeedOut], summary="Published needs that fit the calling bank's products"
)
def bank_needs(request):
    _party(request, BANK)
    rows = needs_for_bank(request.auth.organisation_id, visible_needs(request.auth))
    return [
        {
            "need_id": n.pk,
            "enterprise_id": n.enterprise_id,
            "amount_fen": n.amount_fen,
            "term_months": n.term_months,
            "product_id": p.pk,
            "score": m.score,
            "reasons": m.reasons,
        }
        for n, p, m in rows[:500]
    ]


@router.get("/products", response=list[ProductOut])
def list_products(request):
    _party(request)
    return list(LoanProduct.objects.filter(is_active=True).prefetch_related("texts"))


@router.post("/products", response={201: ProductOut})
def create_product(request, payload: ProductIn):
    data = payload.dict()
    data["texts"] = {k: dict(v) for k, v in data["texts"].items()}
    return Status(201, services.do_publish_product(acting_user=request.auth, **data))


class ProductPatch(Schema):
    """Only the fields sent change; a field may not be sent as null (an omitted field is left alone)."""

    texts: Annotated[dict[Code, ProductText], MaxLen(20)] = None  # type: ignore[assignment]
    min_amount_fen: Fen = None  # type: ignore[assignment]
    max_amount_fen: Fen = None  # type: ignore[assignment]
    min_term_months: Months = None  # type: ignore[assignment]
    max_term_months: Months = None  # type: ignore[assignment]
    rate_bp: BasisPoints = None  # type: ignore[assignment]
    patent_types: CodeList = None  # type: ignore[assignment]
    models_supported: CodeList = None  # type: ignore[assignment]
    requires_valuation: bool = None  # type: ignore[assignment]
    max_ltv_bp: BasisPoints = None  # type: ignore[assignment]
    regions: CodeList = None  # type: ignore[assignment]
    industries: CodeList = None  # type: ignore[assignment]
    is_active: bool = None  # type: ignore[assignment]


@router.patch(
    "/products/{product_id}",
    response=ProductOut,
    summary="The bank changes its product (terms, texts, on/off shelf)",
)
def patch_product(request, product_id: Id, payload: ProductPatch):
    product = access_product_by_id(request.auth, product_id, manage=True)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    active = data.pop("is_active", None)
    if "texts" in data:
        data["texts"] = {k: dict(v) for k, v in data["texts"].items()}
    product = services.do_update_product(product, acting_user=request.auth, **data)
    if active is not None:
        product = services.do_set_product_active(product, active, acting_user=request.auth)
    return product


@router.get(
    "/loans", response=list[LoanOut], summary="Loans the caller's party may see (a bank: only its own)"
)
def list_loans(request, bank_id: Id | None = None, status: Code = ""):
    party = _party(request)
    if bank_id is not None and party == BANK and bank_id != request.auth.organisation_id:
        raise DomainError(
            ErrorCode.FORBIDDEN, _("银行只能查看本行收到的贷款申请，不能查看其他银行的申请。"), status=403
        )
    loans = visible_applications(request.auth)
    if bank_id is not None:
        loans = loans.filter(bank_id=bank_id)
    if status:
        loans = loans.filter(status=status)
    return list(loans[:500])


@router.post("/loans", response={201: LoanOut}, summary="An enterprise applies to a product with a need")
def apply(request, payload: ApplyIn):
    need = access_need_by_id(request.auth, payload.need_id)
    product = access_product_by_id(request.auth, payload.product_id)
    return Status(
        201,
        services.do_apply(
            need, product, acting_user=request.auth, cooperation_model=payload.cooperation_model
        ),
    )


@router.get("/loans/{loan_id}", response=LoanOut)
def get_loan(request, loan_id: Id):
    return access_application_by_id(request.auth, loan_id)


@router.get("/loans/{loan_id}/shares", response=list[ShareOut])
def loan_shares(request, loan_id: Id):
    return list(access_application_by_id(request.auth, loan_id).risk_shares.all())


ACTIONS = {
    "value": lambda app, u, p: services.do_record_valuation(
        app,
        acting_user=u,
        method=p.method,
        valuer=p.valuer,
        report=p.report,
        valuation_fen=p.valuation_fen,
        fee_fen=p.fee_fen,
        valued_on=p.on,
    ),
    "approve": lambda app, u, p: services.do_approve_credit(
        app,
        acting_user=u,
        amount_fen=p.amount_fen,
        rate_bp=p.rate_bp,
        insurer_id=p.insurer_id,
        guarantor_id=p.guarantor_id,
        insurance_premium_fen=p.insurance_premium_fen,
        guarantee_fee_fen=p.guarantee_fee_fen,
        approved_on=p.on,
    ),
    "reject": lambda app, u, p: services.do_reject(app, acting_user=u, reason=p.reason),
    "withdraw": lambda app, u, p: services.do_withdraw(app, acting_user=u),
    "register": lambda app, u, p: services.do_register_pledge(
        app, acting_user=u, registration_number=p.registration_number, registered_on=p.on
    ),
    "disburse": lambda app, u, p: services.do_disburse(app, acting_user=u, disbursed_on=p.on),
    "repay": lambda app, u, p: services.do_record_repayment(
        app, acting_user=u, principal_fen=p.principal_fen or 0, interest_fen=p.interest_fen, paid_on=p.on
    ),
    "default": lambda app, u, p: services.do_declare_default(
        app, acting_user=u, defaulted_on=p.on, note=p.reason
    ),
    "share_risk": lambda app, u, p: services.do_share_risk(app, acting_user=u),
    "dispose": lambda app, u, p: services.do_dispose(
        app, acting_user=u, method=p.method, proceeds_fen=p.proceeds_fen or 0, disposed_on=p.on
    ),
}


@router.post(
    "/loans/{loan_id}/{action}",
    response=LoanOut,
    summary="A lifecycle step: value, approve, reject, withdraw, register, disburse, repay, default, share_risk, dispose",
)
def loan_action(request, loan_id: Id, action: Code, payload: LoanActionIn):
    app = access_application_by_id(request.auth, loan_id)
    if action not in ACTIONS:
        raise Http404
    require(can_act_on_loan(request.auth, app, action), f"pledge.application:{action}")
    ACTIONS[action](app, request.auth, payload)
    return access_application_by_id(request.auth, loan_id)


@router.post(
    "/shares/{share_id}/pay", response=ShareOut, summary="A sharer confirms it has paid its own share"
)
def pay_share(request, share_id: Id):
    share = get_object_or_404(RiskShare, pk=share_id)
    access_application_by_id(request.auth, share.application_id)
    return services.do_pay_risk_share(share, acting_user=request.auth)


@router.get(
    "/subsidies", summary="Subsidies of the caller's enterprise for a year, with the explanation trace"
)
def get_subsidies(request, year: Year):
    _party(request, ENTERPRISE)
    return {
        "year": year,
        "results": [
            r.as_dict() for r in subsidies.compute_subsidies(request.auth.organisation_id, year, flags=False)
        ],
    }


@router.get("/stats", summary="Annual statistics (department)")
def get_stats(request, year: Year | None = None):
    if not can_view_stats(request.auth):
        raise PermissionDenied("pledge.stats:view")
    report = stats.annual_report(visible_applications(request.auth), year or timezone.localdate().year)
    return dict(report.items())


@router.get("/stats.xlsx", summary="Annual report workbook (department)")
def get_stats_xlsx(request, year: Year | None = None):
    if not can_view_stats(request.auth):
        raise PermissionDenied("pledge.stats:view")
    year = year or timezone.localdate().year
    content = stats.annual_report_xlsx(stats.annual_report(visible_applications(request.auth), year))
    return xlsx_response(content, f"pledge-annual-{year}.xlsx")
