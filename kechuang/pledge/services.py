"""Every change in patent-pledge financing goes through these functions: permission first, atomic, audited.

The loan lifecycle is a state machine (TRANSITIONS); each step names the party that may take it, and refusals say
what is wrong in words the user can act on.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kechuang import codes
from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import (
    BP,
    apply_bp,
    monthly_interest,
    percent_text,
    split_by_ratios,
    wan_text,
    yuan_text,
)
from kechuang.permissions import require
from kechuang.permissions.pledge import (
    BANK,
    ENTERPRISE,
    can_act_as_bank,
    can_act_as_enterprise,
    can_configure,
    can_manage_patent,
    can_manage_product,
    can_pay_share,
    party_of,
)
from kechuang.pledge import terms
from kechuang.pledge.errors import PledgeError
from kechuang.pledge.matching import explain_need_product
from kechuang.pledge.models import (
    CooperationModel,
    FinancingNeed,
    Instalment,
    LegalStatus,
    LoanApplication,
    LoanProduct,
    LoanProductText,
    LoanStatus,
    Patent,
    PatentCoOwner,
    PatentType,
    Pledge,
    Repayment,
    RiskParty,
    RiskShare,
    RiskSharingScheme,
    ValuationMethod,
)
from kechuang.registry.models import Organisation, OrganisationKind
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


def _step(app: LoanApplication, action: str) -> LoanStatus:
    return LoanStatus(LOAN.step(app, action))


def available_actions(user, app: LoanApplication) -> list[str]:
    """The actions this user may take on this loan now (the page shows only these)."""
    actions = LOAN.available(user, app)
    if action_requires_valuation(app) and "approve" in actions and app.status == S.APPLIED:
        actions.remove("approve")
    return actions


def action_requires_valuation(app: LoanApplication) -> bool:
    return app.product.requires_valuation and app.valuation_fen is None


def _lock(app: LoanApplication) -> LoanApplication:
    return (
        LoanApplication.objects.select_for_update()
        .select_related("product", "need", "enterprise")
        .get(pk=app.pk)
    )


# ---------------------------------------------------------------- patents


@dataclass(frozen=True)
class Refusal:
    """One reason a pledge would be refused at registration (质押登记不予登记的情形)."""

    code: str
    message: str
    patent_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def check_application_number(raw: str) -> codes.ApplicationNumber:
    try:
        return codes.parse_application_number(raw)
    except codes.CodeError as exc:
        raise DomainError(PledgeError.INVALID_PATENT_NUMBER, exc.message, {"field": "application_number"})


PATENT_FIELDS = (
    "title",
    "grant_date",
    "fee_paid_until",
    "legal_status",
    "ipc",
    "in_dispute",
    "invalidation_pending",
)


def _check_patent_fields(fields: dict, filing_date: dt.date) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in PATENT_FIELDS}
    if "title" in cleaned and not (cleaned["title"] or "").strip():
        raise DomainError(ErrorCode.INVALID, _("专利名称不能为空。"), {"field": "title"})
    if "legal_status" in cleaned and cleaned["legal_status"] not in LegalStatus.values:
        raise DomainError(ErrorCode.INVALID, _("未知的法律状态。"), {"field": "legal_status"})
    grant = cleaned.get("grant_date")
    if grant and grant < filing_date:
        raise DomainError(ErrorCode.INVALID, _("授权公告日不能早于申请日。"), {"field": "grant_date"})
    if cleaned.get("legal_status") == LegalStatus.GRANTED and "grant_date" in cleaned and not grant:
        raise DomainError(ErrorCode.INVALID, _("已授权的专利须填写授权公告日。"), {"field": "grant_date"})
    if "ipc" in cleaned:
        ipc = (cleaned["ipc"] or "").strip()
        try:
            cleaned["ipc"] = codes.check_ipc(ipc) if ipc else ""
        except codes.CodeError as exc:
            raise DomainError(ErrorCode.INVALID, exc.message, {"field": "ipc"})
    return cleaned


def _set_co_owners(patent: Patent, co_owners) -> list[dict]:
    patent.co_owners.all().delete()
    rows = []
    for item in co_owners or []:
        name = (item.get("name") or "").strip()
        if not name:
            continue
        org_id = item.get("organisation_id")
        PatentCoOwner.objects.create(
            patent=patent,
            name=name[:200],
            organisation_id=org_id,
            consents_to_pledge=bool(item.get("consents_to_pledge")),
        )
        rows.append({"name": name, "consents_to_pledge": bool(item.get("consents_to_pledge"))})
    return rows


@transaction.atomic
def do_register_patent(
    *,
    acting_user,
    application_number: str,
    title: str,
    filing_date: dt.date,
    patent_type: str | None = None,
    co_owners=None,
    **fields,
) -> Patent:
    """Add one of the enterprise's patents. The type comes from the application number; a stated type must agree."""
    require(party_of(acting_user) == ENTERPRISE, "pledge.patent:add")
    number = check_application_number(application_number)
    if patent_type and patent_type != number.patent_type:
        raise DomainError(
            ErrorCode.INVALID,
            _("申请号表示的专利类型是“%(type)s”，与所选类型不符。")
            % {"type": PatentType(number.patent_type).label},
            {"field": "patent_type"},
        )
    if len(number.digits) == 12 and filing_date.year != number.year:
        raise DomainError(
            ErrorCode.INVALID,
            _("申请日的年份 %(year)d 与申请号中的年份 %(number_year)d 不一致。")
            % {"year": filing_date.year, "number_year": number.year},
            {"field": "filing_date"},
        )
    if Patent.objects.filter(application_number=number.text).exists():
        raise DomainError(
            PledgeError.DUPLICATE_PATENT,
            _("申请号 %(number)s 的专利已在平台登记。") % {"number": number.text},
            status=409,
        )
    cleaned = _check_patent_fields({"title": title, **fields}, filing_date)
    patent = Patent.objects.create(
        owner_id=acting_user.organisation_id,
        application_number=number.text,
        patent_type=number.patent_type,
        filing_date=filing_date,
        expiry_date=terms.expiry_date(number.patent_type, filing_date),
        **cleaned,
    )
    owners = _set_co_owners(patent, co_owners)
    record(
        "pledge.patent.register",
        patent,
        acting_user=acting_user,
        changes={
            "application_number": [None, patent.application_number],
            "title": [None, patent.title],
            "legal_status": [None, patent.legal_status],
            "co_owners": [None, owners],
        },
    )
    return patent


@transaction.atomic
def do_update_patent(patent: Patent, *, acting_user, co_owners=None, **fields) -> Patent:
    require(can_manage_patent(acting_user, patent), "pledge.patent:edit")
    unknown = set(fields) - set(PATENT_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID, _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    patent = Patent.objects.select_for_update().get(pk=patent.pk)
    cleaned = _check_patent_fields(fields, patent.filing_date)
    changes = {}
    for name, value in cleaned.items():
        if getattr(patent, name) != value:
            changes[name] = [getattr(patent, name), value]
            setattr(patent, name, value)
    if co_owners is not None:
        before = [
            {"name": c.name, "consents_to_pledge": c.consents_to_pledge} for c in patent.co_owners.all()
        ]
        after = _set_co_owners(patent, co_owners)
        if before != after:
            changes["co_owners"] = [before, after]
    if changes:
        patent.save()
        record("pledge.patent.update", patent, acting_user=acting_user, changes=changes)
    return patent


def fee_status(patent: Patent, on: dt.date | None = None) -> str:
    on = on or today()
    if patent.legal_status != LegalStatus.GRANTED:
        return "na"
    if patent.fee_paid_until is None or patent.fee_paid_until < on:
        return "unpaid"
    return "paid"


def check_eligibility(
    enterprise_id: int,
    patents,
    term_months: int,
    *,
    as_of: dt.date | None = None,
    exclude_application_id: int | None = None,
) -> list[Refusal]:
    """Every refusal ground of pledge registration that applies, per patent, each with a clear reason.

    An empty list means the patents can be pledged for a loan of `term_months` starting `as_of`.
    """
    as_of = as_of or today()
    patents = list(patents)
    if not patents:
        return [Refusal(PledgeError.INELIGIBLE, _("请至少选择一件拟质押的专利。"))]
    maturity = terms.add_months(as_of, term_months)
    pledged = Pledge.objects.filter(patent__in=patents, active=True)
    if exclude_application_id:
        pledged = pledged.exclude(application_id=exclude_application_id)
    pledged_ids = set(pledged.values_list("patent_id", flat=True))
    withheld = {}
    for owner in PatentCoOwner.objects.filter(patent__in=patents, consents_to_pledge=False):
        withheld.setdefault(owner.patent_id, []).append(owner.name)
    refusals = []
    for p in patents:
        label = {"number": p.application_number, "title": p.title}

        def add(code, message, p=p):
            refusals.append(Refusal(code, message, p.pk))

        if p.owner_id != enterprise_id:
            add(
                PledgeError.NOT_OWNER,
                _("专利 %(number)s 的专利权人不是出质企业，出质人必须是专利权人。") % label,
            )
        if (
            p.legal_status == LegalStatus.PENDING
            or p.legal_status == LegalStatus.GRANTED
            and not p.grant_date
        ):
            add(PledgeError.NOT_GRANTED, _("专利 %(number)s 尚未授权，专利申请不能出质。") % label)
        elif p.legal_status == LegalStatus.LAPSED:
            add(PledgeError.LAPSED, _("专利 %(number)s 已因未缴年费终止，专利权已失效。") % label)
        elif p.legal_status == LegalStatus.INVALIDATED:
            add(PledgeError.INVALIDATED, _("专利 %(number)s 已被宣告无效。") % label)
        elif p.legal_status in (LegalStatus.EXPIRED, LegalStatus.ABANDONED) or p.expiry_date < as_of:
            add(PledgeError.EXPIRED, _("专利 %(number)s 的专利权已终止（期限届满或放弃）。") % label)
        else:
            if p.fee_paid_until is None or p.fee_paid_until < as_of:
                add(
                    PledgeError.FEE_UNPAID,
                    _("专利 %(number)s 的年费未按期缴纳（缴至 %(until)s），须先补缴。")
                    % {**label, "until": p.fee_paid_until or "—"},
                )
            if maturity > p.expiry_date:
                add(
                    PledgeError.TERM_TOO_LONG,
                    _(
                        "贷款到期日 %(maturity)s 晚于专利 %(number)s 的期限届满日 %(expiry)s：贷款期限 %(term)d 个月长于专利剩余期限。"
                    )
                    % {**label, "maturity": maturity, "expiry": p.expiry_date, "term": term_months},
                )
        if p.in_dispute:
            add(PledgeError.DISPUTE, _("专利 %(number)s 存在权属纠纷，纠纷解决前不能出质。") % label)
        if p.invalidation_pending:
            add(PledgeError.INVALIDATION_PENDING, _("专利 %(number)s 正处于无效宣告程序中。") % label)
        if p.pk in withheld:
            add(
                PledgeError.NO_CO_OWNER_CONSENT,
                _("专利 %(number)s 为共有专利，共有人 %(names)s 尚未同意出质。")
                % {**label, "names": "、".join(withheld[p.pk])},
            )
        if p.pk in pledged_ids:
            add(PledgeError.ALREADY_PLEDGED, _("专利 %(number)s 已经出质且未解除，不能重复质押。") % label)
    return refusals


def _raise_refusals(refusals: list[Refusal]) -> None:
    if not refusals:
        return
    code = refusals[0].code if len({r.code for r in refusals}) == 1 else PledgeError.INELIGIBLE
    message = " ".join(str(r.message) for r in refusals)
    raise DomainError(code, message, {"refusals": [r.as_dict() for r in refusals]})


# ---------------------------------------------------------------- needs and products


def _check_money(amount_fen, field: str) -> int:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("金额必须是正整数（分）。"), {"field": field})
    return amount_fen


def _check_term(months, field: str = "term_months") -> int:
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_TERM_MONTHS:
        raise DomainError(
            ErrorCode.INVALID,
            _("期限必须是 1 到 %(max)d 个月。") % {"max": MAX_TERM_MONTHS},
            {"field": field},
        )
    return months


@transaction.atomic
def do_publish_need(
    *, acting_user, amount_fen: int, term_months: int, purpose: str, patent_ids, preferred_model: str = ""
) -> FinancingNeed:
    """Publish a financing need; the patents offered are checked against every refusal ground first."""
    require(party_of(acting_user) == ENTERPRISE, "pledge.need:publish")
    _check_money(amount_fen, "amount_fen")
    _check_term(term_months)
    if not (purpose or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请填写融资用途。"), {"field": "purpose"})
    if preferred_model and preferred_model not in CooperationModel.values:
        raise DomainError(ErrorCode.INVALID, _("未知的合作模式。"), {"field": "preferred_model"})
    # only the enterprise's own patents: another firm's looks exactly like a missing one, so nothing leaks
    patents = list(Patent.objects.filter(pk__in=list(patent_ids or []), owner_id=acting_user.organisation_id))
    if len(patents) != len(set(patent_ids or [])):
        raise DomainError(ErrorCode.INVALID, _("所选专利不存在。"), {"field": "patent_ids"})
    _raise_refusals(check_eligibility(acting_user.organisation_id, patents, term_months))
    need = FinancingNeed.objects.create(
        enterprise_id=acting_user.organisation_id,
        amount_fen=amount_fen,
        term_months=term_months,
        purpose=purpose.strip()[:300],
        preferred_model=preferred_model,
        created_by=acting_user,
    )
    need.patents.set(patents)
    record(
        "pledge.need.publish",
        need,
        acting_user=acting_user,
        changes={
            "amount_fen": [None, amount_fen],
            "term_months": [None, term_months],
            "patents": [None, [p.application_number for p in patents]],
            "preferred_model": [None, preferred_model],
        },
    )
    return need


@transaction.atomic
def do_close_need(need: FinancingNeed, *, acting_user) -> FinancingNeed:
    require(
        party_of(acting_user) == ENTERPRISE and need.enterprise_id == acting_user.organisation_id,
        "pledge.need:close",
    )
    if need.status != FinancingNeed.Status.CLOSED:
        need.status = FinancingNeed.Status.CLOSED
        need.save(update_fields=["status"])
        record(
            "pledge.need.close", need, acting_user=acting_user, changes={"status": ["published", "closed"]}
        )
    return need


def _check_product_fields(f: dict) -> dict:
    _check_money(f["min_amount_fen"], "min_amount_fen")
    _check_money(f["max_amount_fen"], "max_amount_fen")
    if f["max_amount_fen"] < f["min_amount_fen"]:
        raise DomainError(ErrorCode.INVALID, _("最高金额不能低于最低金额。"), {"field": "max_amount_fen"})
    _check_term(f["min_term_months"], "min_term_months")
    _check_term(f["max_term_months"], "max_term_months")
    if f["max_term_months"] < f["min_term_months"]:
        raise DomainError(ErrorCode.INVALID, _("最长期限不能短于最短期限。"), {"field": "max_term_months"})
    rate = f["rate_bp"]
    if isinstance(rate, bool) or not isinstance(rate, int) or not 1 <= rate <= 2400:
        raise DomainError(
            ErrorCode.INVALID, _("年利率须在 0.01% 到 24% 之间（以基点计）。"), {"field": "rate_bp"}
        )
    ltv = f.get("max_ltv_bp", 5000)
    if not 1 <= ltv <= BP:
        raise DomainError(ErrorCode.INVALID, _("质押率须在 0.01% 到 100% 之间。"), {"field": "max_ltv_bp"})
    types = sorted(set(f["patent_types"]))
    if not types or not set(types) <= set(PatentType.values):
        raise DomainError(ErrorCode.INVALID, _("请选择产品接受的专利类型。"), {"field": "patent_types"})
    models = sorted(set(f["models_supported"]))
    if not models or not set(models) <= set(CooperationModel.values):
        raise DomainError(ErrorCode.INVALID, _("请选择产品支持的合作模式。"), {"field": "models_supported"})
    regions = sorted(set(f.get("regions") or []))
    from kechuang.registry.models import Industry, Region

    known = set(
        Region.objects.filter(code__in=regions, level=Region.Level.CITY).values_list("code", flat=True)
    )
    if set(regions) - known:
        raise DomainError(
            ErrorCode.UNKNOWN_REGION,
            _("未知的城市代码：%(codes)s") % {"codes": ", ".join(sorted(set(regions) - known))},
        )
    industries = sorted(set(f.get("industries") or []))
    known = set(
        Industry.objects.filter(code__in=industries, level=Industry.Level.SECTION).values_list(
            "code", flat=True
        )
    )
    if set(industries) - known:
        raise DomainError(
            ErrorCode.UNKNOWN_INDUSTRY,
            _("未知的行业门类：%(codes)s") % {"codes": ", ".join(sorted(set(industries) - known))},
        )
    return {
        **f,
        "patent_types": types,
        "models_supported": models,
        "regions": regions,
        "industries": industries,
        "max_ltv_bp": ltv,
    }


@transaction.atomic
def do_publish_product(
    *,
    acting_user,
    texts: dict,
    min_amount_fen: int,
    max_amount_fen: int,
    max_term_months: int,
    rate_bp: int,
    patent_types,
    models_supported,
    min_term_months: int = 1,
    requires_valuation: bool = True,
    max_ltv_bp: int = 5000,
    regions=(),
    industries=(),
) -> LoanProduct:
    """A bank publishes a loan product with its name and description in Chinese and English (one row per language)."""
    require(party_of(acting_user) == BANK, "pledge.product:publish")
    for lang in PRODUCT_LANGUAGES:
        name = ((texts.get(lang) or {}).get("name") or "").strip()
        if not name:
            raise DomainError(ErrorCode.INVALID, _("请填写产品的中文和英文名称。"), {"field": f"name_{lang}"})
    fields = _check_product_fields(
        {
            "min_amount_fen": min_amount_fen,
            "max_amount_fen": max_amount_fen,
            "min_term_months": min_term_months,
            "max_term_months": max_term_months,
            "rate_bp": rate_bp,
            "patent_types": list(patent_types),
            "max_ltv_bp": max_ltv_bp,
            "models_supported": list(models_supported),
            "regions": list(regions),
            "industries": list(industries),
        }
    )
    product = LoanProduct.objects.create(
        bank_id=acting_user.organisation_id, requires_valuation=requires_valuation, **fields
    )
    for lang, text in texts.items():
        if (text.get("name") or "").strip():
            LoanProductText.objects.create(
                product=product,
                language=lang,
                name=text["name"].strip()[:120],
                description=(text.get("description") or "").strip(),
                machine_translated=bool(text.get("machine_translated")),
            )
    record(
        "pledge.product.publish",
        product,
        acting_user=acting_user,
        changes={
            k: [None, v] for k, v in {**fields, "names": {k: v["name"] for k, v in texts.items()}}.items()
        },
    )
    return product


PRODUCT_FIELDS = (
    "min_amount_fen",
    "max_amount_fen",
    "min_term_months",
    "max_term_months",
    "rate_bp",
    "patent_types",
    "max_ltv_bp",
    "models_supported",
    "regions",
    "industries",
    "requires_valuation",
)


@transaction.atomic
def do_update_product(
    product: LoanProduct, *, acting_user, texts: dict | None = None, **fields
) -> LoanProduct:
    """A bank changes its product's terms or texts; loans already applied for keep the terms they were approved on."""
    require(can_manage_product(acting_user, product), "pledge.product:edit")
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID, _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    product = LoanProduct.objects.select_for_update().get(pk=product.pk)
    current = {name: getattr(product, name) for name in PRODUCT_FIELDS}
    merged = _check_product_fields({**current, **fields})
    changes = {
        name: [current[name], merged[name]] for name in PRODUCT_FIELDS if current[name] != merged[name]
    }
    for name in changes:
        setattr(product, name, merged[name])
    if texts is not None:
        for lang in PRODUCT_LANGUAGES:
            if lang in texts and not (texts[lang].get("name") or "").strip():
                raise DomainError(
                    ErrorCode.INVALID, _("请填写产品的中文和英文名称。"), {"field": f"name_{lang}"}
                )
        for lang, text in texts.items():
            row = LoanProductText.objects.filter(product=product, language=lang).first()
            new = ((text.get("name") or "").strip()[:120], (text.get("description") or "").strip())
            if row is None:
                LoanProductText.objects.create(
                    product=product, language=lang, name=new[0], description=new[1]
                )
                changes[f"text:{lang}"] = [None, new[0]]
            elif (row.name, row.description) != new:
                changes[f"text:{lang}"] = [row.name, new[0]]
                row.name, row.description, row.machine_translated = new[0], new[1], False
                row.save()
    if changes:
        product.save()
        record("pledge.product.update", product, acting_user=acting_user, changes=changes)
    return product


@transaction.atomic
def do_set_product_active(product: LoanProduct, active: bool, *, acting_user) -> LoanProduct:
    require(can_manage_product(acting_user, product), "pledge.product:edit")
    if product.is_active != active:
        product.is_active = active
        product.save(update_fields=["is_active"])
        record(
            "pledge.product.active",
            product,
            acting_user=acting_user,
            changes={"is_active": [not active, active]},
        )
    return product


# ---------------------------------------------------------------- the loan lifecycle


@transaction.atomic
def do_apply(
    need: FinancingNeed, product: LoanProduct, *, acting_user, cooperation_model: str = ""
) -> LoanApplication:
    """An enterprise applies to a product with a published need; the product must fit and the patents be pledgeable."""
    require(
        party_of(acting_user) == ENTERPRISE and need.enterprise_id == acting_user.organisation_id,
        "pledge.application:apply",
    )
    need = FinancingNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
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
    _raise_refusals(check_eligibility(need.enterprise_id, patents, need.term_months))
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


def _transition(
    app: LoanApplication, action: str, *, acting_user, changes: dict, note: str = ""
) -> LoanApplication:
    before = app.status
    app.status = _step(app, action)
    app.save()
    record(
        f"pledge.loan.{action}",
        app,
        acting_user=acting_user,
        changes={"status": [before, app.status], **changes},
        note=note,
    )
    return app


@transaction.atomic
def do_withdraw(app: LoanApplication, *, acting_user) -> LoanApplication:
    require(can_act_as_enterprise(acting_user, app), "pledge.application:withdraw")
    app = _lock(app)
    return _transition(app, "withdraw", acting_user=acting_user, changes={})


@transaction.atomic
def do_reject(app: LoanApplication, *, acting_user, reason: str) -> LoanApplication:
    require(can_act_as_bank(acting_user, app), "pledge.application:decide")
    app = _lock(app)
    if not (reason or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请说明拒绝理由。"), {"field": "reason"})
    app.decision_note = reason.strip()[:500]
    return _transition(
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
    app = _lock(app)
    if method not in ValuationMethod.values:
        raise DomainError(ErrorCode.INVALID, _("评估方法须为收益法、市场法或成本法。"), {"field": "method"})
    if not (valuer or "").strip() or not (report or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请填写评估机构和评估报告编号。"), {"field": "valuer"})
    _check_money(valuation_fen, "valuation_fen")
    if isinstance(fee_fen, bool) or not isinstance(fee_fen, int) or fee_fen < 0:
        raise DomainError(ErrorCode.INVALID, _("评估费不能为负数。"), {"field": "fee_fen"})
    app.valuation_method, app.valuer, app.valuation_report = (
        method,
        valuer.strip()[:200],
        report.strip()[:100],
    )
    app.valuation_fen, app.valuation_fee_fen, app.valued_on = valuation_fen, fee_fen, valued_on or today()
    return _transition(
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
    app = _lock(app)
    _step(app, "approve")
    if action_requires_valuation(app):
        raise StateError(_("该产品要求评估报告，请先登记评估结果。"), {"missing": "valuation"})
    _check_money(amount_fen, "amount_fen")
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
    return _transition(
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
    app = _lock(app)
    _step(app, "register")
    number = (registration_number or "").strip()
    if not number:
        raise DomainError(ErrorCode.INVALID, _("请填写质押登记号。"), {"field": "registration_number"})
    registered_on = registered_on or today()
    patents = list(Patent.objects.select_for_update().filter(applications=app))
    _raise_refusals(
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
    return _transition(
        app,
        "register",
        acting_user=acting_user,
        changes={
            "registration_number": [None, app.registration_number],
            "registered_on": [None, registered_on],
            "patents": [None, [p.application_number for p in patents]],
        },
    )


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
    app = _lock(app)
    _step(app, "disburse")
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
    return _transition(
        app,
        "disburse",
        acting_user=acting_user,
        changes={
            "disbursed_on": [None, disbursed_on],
            "maturity_date": [None, maturity],
            "balance_fen": [0, app.balance_fen],
        },
    )


def _release_pledges(app: LoanApplication, on: dt.date) -> None:
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
    app = _lock(app)
    _step(app, "repay")
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
        _release_pledges(app, paid_on)
        changes["status"] = [S.DISBURSED, S.CLOSED]
    app.save()
    record("pledge.loan.repay", app, acting_user=acting_user, changes=changes)
    return repayment


@transaction.atomic
def do_declare_default(
    app: LoanApplication, *, acting_user, defaulted_on: dt.date | None = None, note: str = ""
) -> LoanApplication:
    require(can_act_as_bank(acting_user, app), "pledge.application:default")
    app = _lock(app)
    _step(app, "default")
    app.defaulted_on, app.default_balance_fen = defaulted_on or today(), app.balance_fen
    return _transition(
        app,
        "default",
        acting_user=acting_user,
        note=note,
        changes={
            "defaulted_on": [None, app.defaulted_on],
            "default_balance_fen": [None, app.default_balance_fen],
        },
    )


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
    app = _lock(app)
    _step(app, "share_risk")
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
    _transition(
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
    app = _lock(app)
    _step(app, "dispose")
    if not (method or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请填写处置方式。"), {"field": "method"})
    if isinstance(proceeds_fen, bool) or not isinstance(proceeds_fen, int) or proceeds_fen < 0:
        raise DomainError(ErrorCode.INVALID, _("处置回收金额不能为负数。"), {"field": "proceeds_fen"})
    app.disposal_method, app.disposal_proceeds_fen, app.disposed_on = (
        method.strip()[:100],
        proceeds_fen,
        disposed_on or today(),
    )
    _release_pledges(app, app.disposed_on)
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
    return _transition(
        app,
        "dispose",
        acting_user=acting_user,
        changes={
            "disposal_method": [None, app.disposal_method],
            "disposal_proceeds_fen": [None, proceeds_fen],
            "recovered": [None, recovered],
        },
    )


# ---------------------------------------------------------------- subsidy parameters


# ---------------------------------------------------------------- bank–enterprise events (银企对接会)


def loan_ref(app: LoanApplication) -> str:
    return f"pledge:loan:{app.pk}"


def event_signings_for(app: LoanApplication):
    """Signings of pledge loans at events between this loan's enterprise and bank that no loan claims yet."""
    from kechuang.events.models import DealType, Outcome

    return (
        Outcome.objects.filter(
            kind=Outcome.Kind.SIGNING,
            deal_type=DealType.PLEDGE_LOAN,
            follow_up_ref="",
            parties=app.enterprise_id,
        )
        .filter(parties=app.bank_id)
        .select_related("event")
        .order_by("-signed_on", "-id")
        .distinct()
    )


def linked_signing(app: LoanApplication):
    from kechuang.events.models import Outcome

    return Outcome.objects.filter(follow_up_ref=loan_ref(app)).select_related("event").first()


@transaction.atomic
def do_link_event_signing(app: LoanApplication, outcome, *, acting_user):
    """Record that this loan continues a signing at a bank–enterprise event; the event's organiser does this
    (the events module checks that), and only for a pledge-loan signing between the loan's enterprise and bank."""
    from kechuang.events.services import do_link_outcome
    from kechuang.permissions.pledge import visible_applications

    require(visible_applications(acting_user).filter(pk=app.pk).exists(), "pledge.application:link_event")
    if not event_signings_for(app).filter(pk=outcome.pk).exists():
        raise DomainError(
            ErrorCode.INVALID,
            _("只能关联本笔贷款的企业与银行在对接会上签约、且尚未关联贷款的知识产权质押贷款。"),
        )
    outcome = do_link_outcome(outcome, loan_ref(app), acting_user=acting_user)
    record(
        "pledge.loan.link_event",
        app,
        acting_user=acting_user,
        changes={"event_outcome": [None, outcome.pk]},
        note=f"{outcome.event_id}:{outcome.title[:80]}",
    )
    return outcome


# ---------------------------------------------------------------- subsidy bases for the policy engine


@dataclass(frozen=True)
class BasesPublished:
    enterprises: int
    values_written: int


@transaction.atomic
def do_publish_subsidy_bases(year: int, *, acting_user, enterprise_ids=None) -> BasesPublished:
    """Write each enterprise's yearly subsidy bases from its loan records as registry indicators
    (pledge_interest_paid, …) so that the policy engine computes and pays the subsidies. A changed figure
    supersedes the old one (kept in the registry's history); an unchanged one writes nothing."""
    from kechuang.pledge.subsidies import policy_inputs
    from kechuang.registry.models import IndicatorSource
    from kechuang.registry.services import do_record_indicator

    require(can_configure(acting_user), "pledge.config:manage")
    loans = LoanApplication.objects.filter(
        Q(repayments__paid_on__year=year) | Q(valued_on__year=year) | Q(approved_on__year=year)
    )
    if enterprise_ids is not None:
        loans = loans.filter(enterprise_id__in=list(enterprise_ids))
    ids = sorted(set(loans.values_list("enterprise_id", flat=True)))
    written = 0
    for org in Organisation.objects.filter(pk__in=ids).order_by("pk"):
        for code, value in policy_inputs(org.pk, year).items():
            change = do_record_indicator(
                org,
                code,
                year,
                value,
                source=IndicatorSource.PLATFORM,
                reference=f"质押融资贷款记录（{year}）",
                acting_user=None,
            )
            written += int(change.created)
    record(
        "pledge.subsidy_bases.publish",
        ("pledge.year", str(year), str(year)),
        acting_user=acting_user,
        changes={"enterprises": [None, len(ids)], "values_written": [None, written]},
    )
    return BasesPublished(len(ids), written)
