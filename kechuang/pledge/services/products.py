"""Financing needs of enterprises and the banks' loan products."""

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.money import BP
from kechuang.permissions import require
from kechuang.permissions.pledge import BANK, ENTERPRISE, can_manage_product, party_of
from kechuang.pledge.models import (
    CooperationModel,
    FinancingNeed,
    LoanProduct,
    LoanProductText,
    Patent,
    PatentType,
)
from kechuang.pledge.services.common import PRODUCT_LANGUAGES, check_money, check_term
from kechuang.pledge.services.patents import check_eligibility, raise_refusals


@transaction.atomic
def do_publish_need(
    *, acting_user, amount_fen: int, term_months: int, purpose: str, patent_ids, preferred_model: str = ""
) -> FinancingNeed:
    """Publish a financing need; the patents offered are checked against every refusal ground first."""
    require(party_of(acting_user) == ENTERPRISE, "pledge.need:publish")
    check_money(amount_fen, "amount_fen")
    check_term(term_months)
    if not (purpose or "").strip():
        raise DomainError(ErrorCode.INVALID, _("请填写融资用途。"), {"field": "purpose"})
    if preferred_model and preferred_model not in CooperationModel.values:
        raise DomainError(ErrorCode.INVALID, _("未知的合作模式。"), {"field": "preferred_model"})
    # only the enterprise's own patents: another firm's looks exactly like a missing one, so nothing leaks
    patents = list(Patent.objects.filter(pk__in=list(patent_ids or []), owner_id=acting_user.organisation_id))
    if len(patents) != len(set(patent_ids or [])):
        raise DomainError(ErrorCode.INVALID, _("所选专利不存在。"), {"field": "patent_ids"})
    raise_refusals(check_eligibility(acting_user.organisation_id, patents, term_months))
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
    check_money(f["min_amount_fen"], "min_amount_fen")
    check_money(f["max_amount_fen"], "max_amount_fen")
    if f["max_amount_fen"] < f["min_amount_fen"]:
        raise DomainError(ErrorCode.INVALID, _("最高金额不能低于最低金额。"), {"field": "max_amount_fen"})
    check_term(f["min_term_months"], "min_term_months")
    check_term(f["max_term_months"], "max_term_months")
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
