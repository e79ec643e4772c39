"""What anyone may see without signing in: figures computed from the records, open notices, products, events.

Only aggregates and things that are public by nature (published listings, active loan products, published events,
rounds in public notice) — never an individual enterprise's figures.
"""

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation


def public_statistics() -> list[dict]:
    from kechuang.events.models import Event
    from kechuang.formats import money_wan, number
    from kechuang.pledge.models import LoanApplication, LoanStatus
    from kechuang.policy.stats import net_paid_total
    from kechuang.registry.models import Certification, CertificationKind, Organisation, OrganisationKind
    from kechuang.techmarket.models import Listing, ListingStatus, TechContract

    today = timezone.localdate()
    orgs = Organisation.objects.filter(is_active=True).aggregate(
        enterprises=Count("id", filter=Q(kind=OrganisationKind.ENTERPRISE)),
        universities=Count(
            "id", filter=Q(kind__in=[OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE])
        ),
    )
    hightech = (
        Certification.objects.filter(
            kind=CertificationKind.HIGH_TECH, valid_from__lte=today, valid_to__gte=today
        )
        .values("organisation_id")
        .distinct()
        .count()
    )
    paid = net_paid_total()  # net of money recovered after a clawback
    listings = Listing.objects.filter(status=ListingStatus.PUBLISHED).count()
    contracts = TechContract.objects.aggregate(n=Count("id"), total=Sum("amount_fen"))
    lent = LoanApplication.objects.filter(
        status__in=[
            LoanStatus.DISBURSED,
            LoanStatus.CLOSED,
            LoanStatus.DEFAULTED,
            LoanStatus.RISK_SHARED,
            LoanStatus.DISPOSED,
        ]
    ).aggregate(n=Count("id"), total=Sum("approved_amount_fen"))
    events = Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED]).count()
    from django.utils.translation import gettext as _

    return [
        {"label": _("登记企业"), "value": number(orgs["enterprises"])},
        {"label": _("有效高新技术企业"), "value": number(hightech)},
        {"label": _("高校和科研院所"), "value": number(orgs["universities"])},
        {
            "label": _("已拨付研发奖补"),
            "value": money_wan(paid["paid_fen"]),
            "note": _("%(n)s 家企业，扣除已追回的多拨") % {"n": number(paid["firms"])},
        },
        {"label": _("在线技术成果与需求"), "value": number(listings)},
        {
            "label": _("登记技术合同"),
            "value": number(contracts["n"] or 0),
            "note": money_wan(contracts["total"] or 0),
        },
        {"label": _("专利质押放款"), "value": number(lent["n"] or 0), "note": money_wan(lent["total"] or 0)},
        {"label": _("对接活动"), "value": number(events)},
    ]


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def notices() -> list[dict]:
    """Payout rounds in public notice (公示): their names and dates. Objections go through the notice page."""
    from kechuang.policy.models import Round

    rows = []
    for r in (
        Round.objects.filter(status=Round.Status.NOTICE)
        .annotate(n=Count("candidates", filter=Q(candidates__status="listed")))
        .order_by("-notice_starts")[:10]
    ):
        rows.append(
            {
                "name": r.name,
                "starts": r.notice_starts,
                "ends": r.notice_ends,
                "n": r.n,
                "url": url_or_none("policy:public_notice", r.pk) or url_or_none("policy:notice", r.pk),
            }
        )
    return rows


def loan_products(limit: int = 6) -> list[dict]:
    from kechuang.formats import money_wan, number
    from kechuang.money import percent
    from kechuang.pledge.models import LoanProduct

    language = (translation.get_language() or "zh-hans").lower()
    rows = []
    for p in (
        LoanProduct.objects.filter(is_active=True).select_related("bank").prefetch_related("texts")[:limit]
    ):
        text = p.text(language)
        rows.append(
            {
                "name": text.name if text else "",
                "bank": p.bank.name_en if p.bank.name_en and not language.startswith("zh") else p.bank.name,
                "amount": f"{money_wan(p.min_amount_fen)} – {money_wan(p.max_amount_fen)}",
                "rate": number(percent(p.rate_bp), 2) + "%",
                "term": p.max_term_months,
            }
        )
    return rows


def upcoming_events(limit: int = 5) -> list[dict]:
    from kechuang.events.models import Event
    from kechuang.formats import datetime

    rows = []
    events = (
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("city")
        .prefetch_related("translations")
        .order_by("starts_at")[:limit]
    )
    for e in events:
        text = e.translation()
        rows.append(
            {
                "title": text.title,
                "when": datetime(e.starts_at),
                "where": e.venue,
                "url": reverse("events:detail", args=[e.pk]),
            }
        )
    return rows
