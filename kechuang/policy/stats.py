"""Statistics of money paid: per programme, round, city and industry — money, enterprises, R&D leveraged, leverage
ratio. The leverage ratio is a programme's figure: rows of several programmes are never summed into one ratio."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from kechuang.policy.models import Payment
from kechuang.registry.models import IndicatorValue, Industry, Region


def payout_statistics(round_ids=None, area=None, programme_id=None) -> dict:
    """{"programmes"|"rounds"|"cities"|"industries": [row]} with row = {key, label, paid_fen, enterprises, rd_fen,
    leverage}; the city and industry tables are for one programme when `programme_id` is given.

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
    rows = list(
        payments.values_list(
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
    pairs = {(row[0], row[4]) for row in rows}
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
        "programmes": defaultdict(lambda: [0, set()]),
        "rounds": defaultdict(lambda: [0, set()]),
        "cities": defaultdict(lambda: [0, set()]),
        "industries": defaultdict(lambda: [0, set()]),
    }
    labels = {"programmes": {}, "rounds": {}, "cities": cities, "industries": sections}
    for org, amount, round_id, round_name, year, city, section, programme, programme_name in rows:
        labels["rounds"][round_id] = round_name
        labels["programmes"][programme] = programme_name
        for name, key in (
            ("programmes", programme),
            ("rounds", round_id),
            ("cities", city),
            ("industries", section or ""),
        ):
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
    single = len(out["programmes"]) <= 1
    out["total"] = {
        "paid_fen": total_paid,
        "enterprises": len(orgs),
        "rd_fen": total_rd,
        # one programme: its ratio; several: none (see the per-programme table)
        "leverage": str((Decimal(total_rd) / Decimal(total_paid)).quantize(Decimal("0.1")))
        if total_paid and single
        else "—",
    }
    return out
