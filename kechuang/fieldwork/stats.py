"""Statistics of the field work for the KPIs and the pages (the seed's 2019 figures: 700+ trainings, 52,600+
trainees, 33,400+ handouts): confirmed activities per year, county and team."""

from kechuang.fieldwork.services import totals


def kpi_counts(year: int) -> dict:
    rows = totals(year, by="team")
    return {
        "teams": len(rows),
        "trainings": sum(r["trainings"] for r in rows),
        "trainees": sum(r["trainees"] for r in rows),
        "handouts": sum(r["handouts"] for r in rows),
        "bases": sum(r["bases"] for r in rows),
    }


def by_county(year: int) -> list[dict]:
    return totals(year, by="county")
