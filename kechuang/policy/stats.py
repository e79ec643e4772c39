"""Statistics of money paid: per round, city and industry — money, enterprises, R&D leveraged, leverage ratio."""

from collections import defaultdict
from decimal import Decimal

from kechuang.policy.models import Payment
from kechuang.registry.models import IndicatorValue, Industry, Region


def payout_statistics(round_ids=None, city_id=None) -> dict:
    """{"rounds"|"cities"|"industries": [row]} with row = {key, label, paid_fen, enterprises, rd_fen, leverage}.

    R&D leveraged is the paid enterprises' current R&D spending for the round's period; leverage = R&D ÷ money.
    """
    payments = Payment.objects.filter(status=Payment.Status.PAID)
    if round_ids is not None:
        payments = payments.filter(batch__round_id__in=list(round_ids))
    if city_id:
        payments = payments.filter(organisation__city_id=city_id)
    rows = list(
        payments.values_list(
            "organisation_id",
            "amount_fen",
            "batch__round_id",
            "batch__round__name",
            "batch__round__year",
            "organisation__city_id",
            "organisation__industry_section",
        )
    )
    pairs = {(org, year) for org, _, _, _, year, _, _ in rows}
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
        "rounds": defaultdict(lambda: [0, set()]),
        "cities": defaultdict(lambda: [0, set()]),
        "industries": defaultdict(lambda: [0, set()]),
    }
    labels = {"rounds": {}, "cities": cities, "industries": sections}
    for org, amount, round_id, round_name, year, city, section in rows:
        labels["rounds"][round_id] = round_name
        for name, key in (("rounds", round_id), ("cities", city), ("industries", section or "")):
            groups[name][key][0] += amount
            groups[name][key][1].add((org, year))
    out = {}
    for name, table in groups.items():
        out[name] = []
        for key, (paid, members) in sorted(table.items(), key=lambda kv: -kv[1][0]):
            rd_fen = sum(rd.get(m, 0) for m in members)
            out[name].append(
                {
                    "key": key,
                    "label": labels[name].get(key) or str(key or "—"),
                    "paid_fen": paid,
                    "enterprises": len({o for o, _ in members}),
                    "rd_fen": rd_fen,
                    "leverage": str((Decimal(rd_fen) / Decimal(paid)).quantize(Decimal("0.1")))
                    if paid
                    else "—",
                }
            )
    total_paid = sum(r["paid_fen"] for r in out["rounds"])
    total_rd = sum(rd.get(p, 0) for p in pairs)
    out["total"] = {
        "paid_fen": total_paid,
        "enterprises": len(orgs),
        "rd_fen": total_rd,
        "leverage": str((Decimal(total_rd) / Decimal(total_paid)).quantize(Decimal("0.1")))
        if total_paid
        else "—",
    }
    return out
