"""JSON API of the KPIs: the figures a reply to an NPC/CPPCC proposal quotes, from the same snapshot as the
dashboard and the reports (a city official: their city's)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kechuang.bounds import Year
from kechuang.errors import DomainError, ErrorCode
from kechuang.kpi import report_templates, services
from kechuang.kpi.errors import KpiError
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
    stale: bool  # older than the stated interval (KECHUANG_KPI_MAX_AGE_SECONDS); a refresh is then under way
    refresh_job: int | None  # the refresh queued or running, if any (GET /api/jobs/{id} for its progress)
    kpis: list[KpiOut]
    figures: list[FigureOut]


class ComputingOut(Schema):
    """No figures yet: the year's first computation is queued or running (follow it at GET /api/jobs/{job})."""

    code: str
    message: str
    job: int | None
    percent: int


@router.get(
    "/figures",
    response={200: FiguresOut, 202: ComputingOut},
    summary="KPIs and every module's figures for a year, with definitions (202 while first computed)",
)
def get_figures(request, year: Year | None = None):
    require_view(request.auth)
    today = timezone.localdate().year
    year = year or today
    if year > today:
        raise DomainError(ErrorCode.INVALID, _("年度不能晚于今年。"), {"field": "year"})
    city = scope_city(request.auth)
    page = services.page_snapshot(year)
    if page.snapshot is None:  # never computed in the request: accepted, and computed in the background
        return 202, {
            "code": KpiError.BEING_COMPUTED,
            "message": _("该年度的数据正在计算，请稍后再取。"),
            "job": page.job.pk if page.job else None,
            "percent": page.job.percent if page.job else 0,
        }
    snapshot = page.snapshot
    figures = report_templates.figures(snapshot.payload, city=city)
    return {
        "year": year,
        "city": city,
        "computed_at": snapshot.computed_at.isoformat(),
        "stale": page.stale,
        "refresh_job": page.job.pk if page.job and not page.job.is_finished else None,
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
