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


def headline_figures(*, year: int, city: str | None) -> dict:
    from django.db.models import Sum
    from django.utils.translation import gettext as _

    from kechuang.fieldwork.models import Activity

    qs = Activity.objects.filter(state=Activity.State.CONFIRMED, date__year=year)
    if city:
        qs = qs.filter(county__parent_id=city)
    trainings = qs.filter(kind=Activity.Kind.TRAINING)

    def fig(key, label, value, unit="count", definition=""):
        return {"key": key, "label": str(label), "value": value, "unit": unit, "definition": str(definition)}

    return {
        "module": "fieldwork",
        "label": _("农业专家服务团"),
        "url": "fieldwork:home",
        "figures": [
            fig("trainings", _("培训场次"), trainings.count(), "count", _("县级已确认的技术培训场次。")),
            fig(
                "trainees",
                _("培训人次"),
                trainings.aggregate(s=Sum("attendees"))["s"] or 0,
                "count",
                _("县级已确认的培训参加人数合计。"),
            ),
            fig(
                "handouts",
                _("发放资料"),
                qs.aggregate(s=Sum("handouts"))["s"] or 0,
                "count",
                _("县级已确认活动发放的技术资料份数。"),
            ),
            fig(
                "teams",
                _("开展活动的服务团"),
                qs.values("team").distinct().count(),
                "count",
                _("该年有县级已确认活动的服务团。"),
            ),
        ],
    }
