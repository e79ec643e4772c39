"""Statistics of money paid: per programme, round, city and industry — money, enterprises, R&D leveraged, leverage
ratio. The leverage ratio is a programme's figure: rows of several programmes are never summed into one ratio.

Money is counted net of clawbacks: what was paid minus what has been recovered from the enterprise (多拨追回), so
a figure the tax authority later lowered does not go on counting as support. Outstanding overpayments (not yet
recovered) stay in the figure until the money is back."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from kechuang.policy.models import Payment, Recovery
from kechuang.registry.models import IndicatorValue, Industry, Region


def payout_statistics(round_ids=None, area=None, programme_id=None) -> dict:
    """{"programmes"|"rounds"|"cities"|"industries": [row]} with row = {key, label, paid_fen, gross_fen,
    recovered_fen, enterprises, rd_fen, leverage}; the city and industry tables are for one programme when
    `programme_id` is given.

    `paid_fen` is net: `gross_fen` (paid out) minus `recovered_fen` (recovered since). An enterprise whose whole
    payment was recovered is not counted as supported, and its R&D is not counted as leveraged.

    R&D leveraged is the paid enterprises' current R&D spending for the round's period; leverage = R&D ÷ money,
    shown per programme (a total over programmes mixes different things and is not given).
    `area`: a city or county code (an official's area); only payments to organisations there.
    """
    payments = Payment.objects.filter(status=Payment.Status.PAID)
    if round_ids is not None:
        payments = payments.filter(batch__round_id__in=list(round_ids))
    if programme_id is not None:
        payments = payments.filter(batch__round__fund__programme_id=programme_id)
    if area:
        payments = payments.filter(Q(organisation__city_id=area) | Q(organisation__region_id=area))
    recovered = recovered_by_payment(payments)
    rows = list(
        payments.values_list(
            "pk",
            "organisation_id",
            "amount_fen",
            "batch__round_id",
            "batch__round__name",
            "batch__round__year",
            "organisation__city_id",
            "organisation__industry_section",
            "batch__round__fund__programme_id",
            "batch__round__fund__programme__name",
        )
    )
    pairs = {(row[1], row[5]) for row in rows if row[2] > recovered.get(row[0], 0)}
    rd = {}
    years = {y for _, y in pairs}
    orgs = {o for o, _ in pairs}
    if pairs:
        for org, year, value in IndicatorValue.objects.filter(
            indicator_id="rd_spending", is_current=True, year__in=years, organisation_id__in=orgs
        ).values_list("organisation_id", "year", "value"):
            rd[(org, year)] = value
    cities = dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "name"))
    sections = dict(Industry.objects.filter(level=Industry.Level.SECTION).values_list("code", "name"))
    groups = {
        "programmes": defaultdict(lambda: [0, 0, set()]),
        "rounds": defaultdict(lambda: [0, 0, set()]),
        "cities": defaultdict(lambda: [0, 0, set()]),
        "industries": defaultdict(lambda: [0, 0, set()]),
    }
    labels = {"programmes": {}, "rounds": {}, "cities": cities, "industries": sections}
    for pk, org, amount, round_id, round_name, year, city, section, programme, programme_name in rows:
        back = recovered.get(pk, 0)
        labels["rounds"][round_id] = round_name
        labels["programmes"][programme] = programme_name
        for name, key in (
            ("programmes", programme),
            ("rounds", round_id),
            ("cities", city),
            ("industries", section or ""),
        ):
            groups[name][key][0] += amount
            groups[name][key][1] += back
            if amount > back:
                groups[name][key][2].add((org, year))
    out = {}
    for name, table in groups.items():
        out[name] = []
        for key, (gross, back, members) in sorted(table.items(), key=lambda kv: kv[1][1] - kv[1][0]):
            paid = gross - back
            rd_fen = sum(rd.get(m, 0) for m in members)
            out[name].append(
                {
                    "key": key,
                    "label": labels[name].get(key) or str(key or "—"),
                    "paid_fen": paid,
                    "gross_fen": gross,
                    "recovered_fen": back,
                    "enterprises": len({o for o, _ in members}),
                    "rd_fen": rd_fen,
                    "leverage": str((Decimal(rd_fen) / Decimal(paid)).quantize(Decimal("0.1")))
                    if paid
                    else "—",
                }
            )
    total_paid = sum(r["paid_fen"] for r in out["rounds"])
    total_back = sum(r["recovered_fen"] for r in out["rounds"])
    total_rd = sum(rd.get(p, 0) for p in pairs)
    single = len(out["programmes"]) <= 1
    out["total"] = {
        "paid_fen": total_paid,
        "gross_fen": total_paid + total_back,
        "recovered_fen": total_back,
        "enterprises": len(orgs),
        "rd_fen": total_rd,
        # one programme: its ratio; several: none (see the per-programme table)
        "leverage": str((Decimal(total_rd) / Decimal(total_paid)).quantize(Decimal("0.1")))
        if total_paid and single
        else "—",
    }
    return out


def recovered_by_payment(payments) -> dict[int, int]:
    """{payment id: fen recovered from it} for the given payments (a queryset), only where something was."""
    return dict(
        Recovery.objects.filter(payment__in=payments, recovered_fen__gt=0)
        .values("payment_id")
        .annotate(back=Sum("recovered_fen"))
        .values_list("payment_id", "back")
    )


def net_paid_total() -> dict:
    """All paid money net of what was recovered, and the enterprises still supported: {"paid_fen", "firms"}."""
    back = (
        Recovery.objects.filter(payment=OuterRef("pk"))
        .values("payment")
        .annotate(s=Sum("recovered_fen"))
        .values("s")
    )
    totals = (
        Payment.objects.filter(status=Payment.Status.PAID)
        .annotate(net=F("amount_fen") - Coalesce(Subquery(back), 0))
        .aggregate(paid=Sum("net"), firms=Count("organisation_id", distinct=True, filter=Q(net__gt=0)))
    )
    return {"paid_fen": totals["paid"] or 0, "firms": totals["firms"] or 0}
