"""An event's figures and the department's yearly report."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang import bounds
from kechuang.events import stats as event_stats
from kechuang.events.exports import events_report, statistics_export
from kechuang.events.models import Event
from kechuang.permissions import require_cap
from kechuang.permissions.events import EventCap, access_event_by_id, can_view_stats
from kechuang.spreadsheets import xlsx_response


@login_required
def stats(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    if not can_view_stats(request.user, event):
        raise Http404
    figures = event_stats.event_statistics(event)
    funnel = [
        {"step": _("报名"), "n": figures["registrations"]},
        {"step": _("获准参加"), "n": figures["approved"]},
        {"step": _("签到"), "n": figures["attendance"]},
        {"step": _("已排洽谈"), "n": figures["meetings_scheduled"]},
        {"step": _("洽谈举行"), "n": figures["meetings_held"]},
        {"step": _("对接成功项目"), "n": figures["projects_matched"]},
        {"step": _("现场签约"), "n": figures["signings"]},
    ]
    return render(
        request,
        "events/stats.html",
        {
            "event": event,
            "text": event.translation(),
            "s": figures,
            "funnel": funnel,
            "outcomes": event.outcomes.prefetch_related("parties")[:200],
        },
    )


@login_required
def stats_export(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    if not can_view_stats(request.user, event):
        raise Http404
    return xlsx_response(statistics_export(event), f"event-{event.pk}-{timezone.localdate():%Y%m%d}.xlsx")


def _report_events(request, year: int | None):
    events = Event.objects.exclude(status__in=[Event.Status.DRAFT, Event.Status.CANCELLED]).order_by(
        "starts_at"
    )
    if year:
        events = events.filter(starts_at__year=year)
    return [e for e in events if can_view_stats(request.user, e)]


@login_required
def report(request):
    """The year's figures by kind of event, as the department reports them."""
    require_cap(request.user, EventCap.STATS)
    year = bounds.parse_int(
        request.GET.get("year"), low=bounds.MIN_YEAR, high=bounds.MAX_YEAR, default=timezone.localdate().year
    )
    events = _report_events(request, year)
    overview = event_stats.yearly_overview(events)
    chart = [
        {"kind": str(r["kind"]), "signings": r["signings"], "projects_matched": r["projects_matched"]}
        for r in overview["rows"]
    ]
    return render(
        request,
        "events/report.html",
        {
            "year": year,
            "overview": overview,
            "events": events,
            "chart": chart,
            "series": [
                {"name": _("对接成功项目"), "key": "projects_matched"},
                {"name": _("现场签约"), "key": "signings"},
            ],
            "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 6, -1)),
        },
    )


@login_required
def report_export(request):
    require_cap(request.user, EventCap.STATS)
    year = request.GET.get("year", "")
    year = bounds.parse_int(year, low=bounds.MIN_YEAR, high=bounds.MAX_YEAR)
    events = _report_events(request, year)
    return xlsx_response(
        events_report(events), f"events-report-{year or 'all'}-{timezone.localdate():%Y%m%d}.xlsx"
    )
