"""What the programme projects give to the KPIs: accepted projects and the results they brought to the technology
market. Two query functions with a stable signature, and the same two as KPI record sources (`KPI_SOURCES`, picked
up by `kechuang.kpi.sources`).

* `accepted_projects(start, end, city=None)`: contracts whose acceptance concluded *passed* on a day in
  [start, end], optionally of units in one city (a `registry.Region` code of the city level). Counts on the day of
  the conclusion (`Acceptance.decided_on`).
* `listed_results(start, end, city=None)`: results of accepted projects that their unit confirmed into the market
  (an achievement listing was created), counted on the day of the confirmation
  (`ResultOffer.decided_on`). Whether the market has published
  the listing yet is the listing's own status (`listing__status`).

Both return querysets: `.count()` for a figure, iterate for a drill-down. Failed acceptances and declined results
never count.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.projects.models import AcceptanceConclusion, Contract, ResultOffer, ResultStatus


def accepted_projects(start: dt.date, end: dt.date, city: str | None = None) -> QuerySet[Contract]:
    qs = Contract.objects.filter(
        acceptance__conclusion=AcceptanceConclusion.PASSED,
        acceptance__decided_on__gte=start,
        acceptance__decided_on__lte=end,
    )
    if city:
        qs = qs.filter(application__unit__city_id=city)
    return qs.order_by("acceptance__decided_on", "id")


def listed_results(start: dt.date, end: dt.date, city: str | None = None) -> QuerySet[ResultOffer]:
    qs = ResultOffer.objects.filter(
        status=ResultStatus.LISTED,
        decided_on__gte=start,
        decided_on__lte=end,
    )
    if city:
        qs = qs.filter(contract__application__unit__city_id=city)
    return qs.order_by("decided_on", "id")


# ---- as KPI record sources --------------------------------------------------------------------------------------


def _accepted_records(params):
    return Contract.objects.filter(acceptance__conclusion=AcceptanceConclusion.PASSED).order_by(
        "acceptance__decided_on", "id"
    )


def _accepted_explain(row, params) -> str:
    return _("科技计划项目“%(title)s”（任务书 %(number)s）于 %(date)s 通过验收") % {
        "title": row["application__title"],
        "number": row["number"],
        "date": row["acceptance__decided_on"],
    }


def _results_records(params):
    return ResultOffer.objects.filter(status=ResultStatus.LISTED).order_by("decided_on", "id")


def _results_explain(row, params) -> str:
    return _("通过验收的科技计划项目（任务书 %(number)s）的成果“%(title)s”经承担单位确认提交技术市场") % {
        "number": row["contract__number"],
        "title": row["title"],
    }


def _sources():
    from kechuang.kpi.sources import EventSource

    return [
        EventSource(
            name="projects.accepted",
            label=gettext_lazy("通过验收的科技计划项目"),
            model="projects.Contract",
            queryset=_accepted_records,
            date_field="acceptance__decided_on",
            city_field="application__unit__city_id",
            fields=(
                "id",
                "number",
                "application__title",
                "application__unit_id",
                "application__unit__name",
                "acceptance__decided_on",
            ),
            explain=_accepted_explain,
            link=lambda row: reverse("projects:contract", args=[row["id"]]),
        ),
        EventSource(
            name="projects.results_listed",
            label=gettext_lazy("科技计划项目成果进入技术市场"),
            model="projects.ResultOffer",
            queryset=_results_records,
            date_field="decided_on",
            city_field="contract__application__unit__city_id",
            fields=("id", "title", "contract_id", "contract__number", "listing_id", "decided_on"),
            explain=_results_explain,
            link=lambda row: reverse("projects:contract", args=[row["contract_id"]]),
        ),
    ]


try:
    KPI_SOURCES = _sources()
except ImportError:  # the KPI app is not installed: nothing to plug into
    KPI_SOURCES = []
