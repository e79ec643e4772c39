"""Matching financing needs to loan products: hard criteria decide fit; a score ranks; reasons explain both ways.

Profiles are plain tuples of what matching needs, built in one query each, so a whole province can be matched in
memory (see bench/pledge.py): `fits` is the fast path, `explain` builds the sentences shown to people.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kechuang.money import percent_text, wan_text
from kechuang.pledge.models import CooperationModel, FinancingNeed, LoanProduct, PatentType


@dataclass(frozen=True)
class NeedProfile:
    id: int
    enterprise_id: int
    amount_fen: int
    term_months: int
    patent_types: frozenset
    city_id: str
    industry_section: str
    preferred_model: str


@dataclass(frozen=True)
class ProductProfile:
    id: int
    bank_id: int
    min_amount_fen: int
    max_amount_fen: int
    min_term_months: int
    max_term_months: int
    rate_bp: int
    patent_types: frozenset
    regions: frozenset
    industries: frozenset
    models: frozenset


@dataclass
class Match:
    need_id: int
    product_id: int
    fits: bool
    score: int
    reasons: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def need_profile(need: FinancingNeed, patent_types=None) -> NeedProfile:
    types = patent_types if patent_types is not None else {p.patent_type for p in need.patents.all()}
    org = need.enterprise
    return NeedProfile(
        need.pk,
        need.enterprise_id,
        need.amount_fen,
        need.term_months,
        frozenset(types),
        org.city_id,
        org.industry_section,
        need.preferred_model,
    )


def product_profile(p: LoanProduct) -> ProductProfile:
    return ProductProfile(
        p.pk,
        p.bank_id,
        p.min_amount_fen,
        p.max_amount_fen,
        p.min_term_months,
        p.max_term_months,
        p.rate_bp,
        frozenset(p.patent_types),
        frozenset(p.regions),
        frozenset(p.industries),
        frozenset(p.models_supported),
    )


def need_profiles(queryset) -> list[NeedProfile]:
    """Profiles of many needs in two queries."""
    needs = list(queryset.select_related("enterprise"))
    through = FinancingNeed.patents.through
    types: dict[int, set] = {}
    for need_id, ptype in through.objects.filter(financingneed_id__in=[n.pk for n in needs]).values_list(
        "financingneed_id", "patent__patent_type"
    ):
        types.setdefault(need_id, set()).add(ptype)
    return [need_profile(n, types.get(n.pk, set())) for n in needs]


def fits(n: NeedProfile, p: ProductProfile) -> bool:
    return (
        p.min_amount_fen <= n.amount_fen <= p.max_amount_fen
        and p.min_term_months <= n.term_months <= p.max_term_months
        and n.patent_types <= p.patent_types
        and bool(n.patent_types)
        and (not p.regions or n.city_id in p.regions)
        and (not p.industries or n.industry_section in p.industries)
        and (not n.preferred_model or n.preferred_model in p.models)
    )


def score(n: NeedProfile, p: ProductProfile) -> int:
    """Higher is better: the rate decides (1 point per basis point); a product aimed at the enterprise's city,
    industry or preferred model gains a little (at most 0.50 percentage points in all), enough to break near-ties."""
    value = 1000 - p.rate_bp
    if n.city_id in p.regions:
        value += 25
    if n.industry_section in p.industries:
        value += 15
    if n.preferred_model and n.preferred_model in p.models:
        value += 10
    return value


def explain(n: NeedProfile, p: ProductProfile) -> Match:
    reasons, failures = [], []
    amount = {
        "amount": wan_text(n.amount_fen),
        "low": wan_text(p.min_amount_fen),
        "high": wan_text(p.max_amount_fen),
    }
    if p.min_amount_fen <= n.amount_fen <= p.max_amount_fen:
        reasons.append(_("金额 %(amount)s 万元在产品额度 %(low)s–%(high)s 万元之内") % amount)
    else:
        failures.append(_("金额 %(amount)s 万元不在产品额度 %(low)s–%(high)s 万元之内") % amount)
    term = {"term": n.term_months, "low": p.min_term_months, "high": p.max_term_months}
    if p.min_term_months <= n.term_months <= p.max_term_months:
        reasons.append(_("期限 %(term)d 个月在 %(low)d–%(high)d 个月之内") % term)
    else:
        failures.append(_("期限 %(term)d 个月不在 %(low)d–%(high)d 个月之内") % term)
    labels = dict(PatentType.choices)
    missing = sorted(n.patent_types - p.patent_types)
    if not n.patent_types:
        failures.append(_("需求没有拟质押的专利"))
    elif missing:
        failures.append(_("产品不接受%(types)s") % {"types": "、".join(str(labels[t]) for t in missing)})
    else:
        reasons.append(
            _("接受%(types)s") % {"types": "、".join(str(labels[t]) for t in sorted(n.patent_types))}
        )
    if not p.regions:
        reasons.append(_("服务全区"))
    elif n.city_id in p.regions:
        reasons.append(_("服务企业所在城市"))
    else:
        failures.append(_("产品不服务企业所在城市"))
    if p.industries:
        if n.industry_section in p.industries:
            reasons.append(_("支持企业所属行业门类 %(section)s") % {"section": n.industry_section})
        else:
            failures.append(
                _("产品不支持企业所属行业门类 %(section)s") % {"section": n.industry_section or "—"}
            )
    models = dict(CooperationModel.choices)
    if n.preferred_model:
        if n.preferred_model in p.models:
            reasons.append(_("支持意向合作模式“%(model)s”") % {"model": models[n.preferred_model]})
        else:
            failures.append(_("不支持意向合作模式“%(model)s”") % {"model": models[n.preferred_model]})
    reasons.append(_("年利率 %(rate)s") % {"rate": percent_text(p.rate_bp)})
    ok = not failures
    return Match(n.id, p.id, ok, score(n, p) if ok else 0, reasons, failures)


def rank_products(
    n: NeedProfile, products: list[ProductProfile], *, with_reasons: bool = True
) -> list[Match]:
    """Products that fit the need, best first (score, then rate, then id for a stable order)."""
    rates = {p.id: p.rate_bp for p in products}
    found = [
        explain(n, p) if with_reasons else Match(n.id, p.id, True, score(n, p))
        for p in products
        if fits(n, p)
    ]
    found.sort(key=lambda m: (-m.score, rates[m.product_id], m.product_id))
    return found


def match_all(
    needs: list[NeedProfile], products: list[ProductProfile], *, top: int = 10
) -> dict[int, list[tuple[int, int]]]:
    """{need id: [(product id, score), …]} best first; the bulk path without sentences."""
    result = {}
    ordered = sorted(products, key=lambda p: (p.rate_bp, p.id))
    for n in needs:
        scored = [(score(n, p), p) for p in ordered if fits(n, p)]
        scored.sort(key=lambda sp: (-sp[0], sp[1].rate_bp, sp[1].id))
        result[n.id] = [(p.id, s) for s, p in scored[:top]]
    return result


def products_for_need(need: FinancingNeed, language: str = "zh-hans") -> list[tuple[LoanProduct, Match]]:
    products = list(
        LoanProduct.objects.filter(is_active=True).select_related("bank").prefetch_related("texts")
    )
    by_id = {p.pk: p for p in products}
    ranked = rank_products(need_profile(need), [product_profile(p) for p in products])
    return [(by_id[m.product_id], m) for m in ranked]


def misfits_for_need(need: FinancingNeed, language: str = "zh-hans") -> list[tuple[LoanProduct, Match]]:
    """Active products that do not fit, each with why not (the enterprise sees what it would take)."""
    products = list(
        LoanProduct.objects.filter(is_active=True).select_related("bank").prefetch_related("texts")
    )
    profile = need_profile(need)
    rows = [(p, explain(profile, product_profile(p))) for p in products]
    return [(p, m) for p, m in rows if not m.fits]


def explain_need_product(need: FinancingNeed, product: LoanProduct) -> Match:
    return explain(need_profile(need), product_profile(product))


def needs_for_bank(bank_id: int, needs_queryset) -> list[tuple[FinancingNeed, LoanProduct, Match]]:
    """Published needs that fit at least one of the bank's active products, with the best-fitting product."""
    products = list(LoanProduct.objects.filter(bank_id=bank_id, is_active=True).prefetch_related("texts"))
    if not products:
        return []
    by_id = {p.pk: p for p in products}
    profiles = [product_profile(p) for p in products]
    needs = {n.pk: n for n in needs_queryset.select_related("enterprise", "enterprise__city")}
    rows = []
    for profile in need_profiles(needs_queryset.filter(pk__in=list(needs))):
        ranked = rank_products(profile, profiles)
        if ranked:
            rows.append((needs[profile.id], by_id[ranked[0].product_id], ranked[0]))
    rows.sort(key=lambda r: (-r[2].score, -r[0].pk))
    return rows
