"""Market statistics by period, city and country (officials; a city official sees their city)."""

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from kechuang.money import wan
from kechuang.registry.models import OrganisationKind
from kechuang.techmarket.models import FollowUp, Interest, Listing, ListingKind, ListingStatus, TechContract


def market_stats(user, *, start: date, end: date, city: str = "", country: str = "") -> dict:
    """Figures for contracts signed / listings published / follow-ups made within [start, end]."""
    scope_city = user.city_id or city
    listings = Listing.objects.filter(published_at__date__gte=start, published_at__date__lte=end)
    contracts = TechContract.objects.filter(signed_on__gte=start, signed_on__lte=end)
    follow_ups = FollowUp.objects.filter(called_at__date__gte=start, called_at__date__lte=end)
    interests = Interest.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if scope_city:
        listings = listings.filter(Q(city_id=scope_city) | Q(owner__city_id=scope_city))
        contracts = contracts.filter(city_id=scope_city)
        follow_ups = follow_ups.filter(listing__owner__city_id=scope_city)
        interests = interests.filter(listing__owner__city_id=scope_city)
    if country:
        listings = listings.filter(country=country)
        contracts = contracts.filter(buyer_country=country)
        follow_ups = follow_ups.filter(listing__country=country)
        interests = interests.filter(listing__country=country)
    enterprises = set(
        listings.filter(owner__kind=OrganisationKind.ENTERPRISE).values_list("owner_id", flat=True)
    )
    enterprises |= set(
        interests.filter(organisation__kind=OrganisationKind.ENTERPRISE).values_list(
            "organisation_id", flat=True
        )
    )
    totals = contracts.aggregate(n=Count("id"), amount=Sum("amount_fen"), income=Sum("tech_income_fen"))
    by_month = [
        {
            "month": row["month"].strftime("%Y-%m"),
            "contracts": row["n"],
            "amount_wan": wan(row["amount"] or 0),
            "income_wan": wan(row["income"] or 0),
        }
        for row in contracts.annotate(month=TruncMonth("signed_on"))
        .values("month")
        .annotate(n=Count("id"), amount=Sum("amount_fen"), income=Sum("tech_income_fen"))
        .order_by("month")
    ]
    by_city = list(
        contracts.values("city_id", "city__name")
        .annotate(n=Count("id"), amount=Sum("amount_fen"))
        .order_by("-amount")
    )
    by_country = list(
        contracts.values("buyer_country")
        .annotate(n=Count("id"), amount=Sum("amount_fen"))
        .order_by("-amount")
    )
    listings_by_country = list(
        listings.values("country", "kind").annotate(n=Count("id")).order_by("country", "kind")
    )
    return {
        "enterprises_served": len(enterprises),
        "demands_followed_up": follow_ups.values("listing_id").distinct().count(),
        "follow_up_calls": follow_ups.count(),
        "institutions": listings.filter(
            owner__kind__in=[OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE]
        )
        .values("owner_id")
        .distinct()
        .count(),
        "achievements_published": listings.filter(kind=ListingKind.ACHIEVEMENT)
        .exclude(status=ListingStatus.WITHDRAWN)
        .count(),
        "demands_published": listings.filter(kind=ListingKind.DEMAND)
        .exclude(status=ListingStatus.WITHDRAWN)
        .count(),
        "interests": interests.count(),
        "contracts": totals["n"] or 0,
        "contract_amount_fen": totals["amount"] or 0,
        "tech_income_fen": totals["income"] or 0,
        "by_month": by_month,
        "by_city": by_city,
        "by_country": by_country,
        "listings_by_country": listings_by_country,
    }
