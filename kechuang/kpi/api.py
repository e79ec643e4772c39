"""JSON API of the KPIs: the figures a reply to an NPC/CPPCC proposal quotes, from the same snapshot as the
dashboard and the reports (a city official: their city's)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kechuang.bounds import Year
from kechuang.errors import DomainError, ErrorCode
from kechuang.kpi import report_templates, services
from kechuang.permissions.kpi import require_view, scope_city

router = Router(tags=["kpi"])


class KpiOut(Schema):
    code: str
    version: int
    name: str
    basis: str
    target: int
    value: int | None
    percent: str
    state: str
    as_of: str
    definition: str


class FigureOut(Schema):
    key: str
    label: str
    text: str
    definition: str


class FiguresOut(Schema):
    year: int
    city: str | None
    computed_at: str
    kpis: list[KpiOut]
    figures: list[FigureOut]


@router.get(
    "/figures", response=FiguresOut, summary="KPIs and every module's figures for a year, with definitions"
)
def get_figures(request, year: Year | None = None):
    require_view(request.auth)
    today = timezone.localdate().year
    year = year or today
    if year > today:
        raise DomainError(ErrorCode.INVALID, _("年度不能晚于今年。"), {"field": "year"})
    city = scope_city(request.auth)
    snapshot = services.fresh_snapshot(year)
    figures = report_templates.figures(snapshot.payload, city=city)
    return {
        "year": year,
        "city": city,
        "computed_at": snapshot.computed_at.isoformat(),
        "kpis": [
            {
                "code": k["code"],
                "version": k["version"],
                "name": k["name"]["zh"],
                "basis": k["basis"],
                "target": k["target"],
                "value": k["value"],
                "percent": k["percent"],
                "state": k["state"],
                "as_of": k["as_of"],
                "definition": k["definition"]["zh"],
            }
            for k in snapshot.payload["kpis"]
        ],
        "figures": [{"key": key, **f} for key, f in figures.items()],
    }
