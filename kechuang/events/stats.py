"""Figures of an event and of a year of events, for the organiser's page, the report and the API."""

from django.db.models import Count

from kechuang.events.models import (
    DealType,
    EventKind,
    Meeting,
    MeetingRequest,
    Outcome,
    Registration,
    RoadshowApplication,
)
from kechuang.money import wan


def slot_loads(event) -> list[dict]:
    """Meetings per slot against tables, for the organiser's chart."""
    tz = event.tzinfo
    counts = dict(
        event.meetings.filter(status=Meeting.Status.SCHEDULED)
        .values_list("slot_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {
            "slot": s.starts_at.astimezone(tz).strftime("%H:%M"),
            "meetings": counts.get(s.pk, 0),
            "tables": s.tables,
        }
        for s in event.meeting_slots.order_by("index")
    ]


def yearly_overview(events) -> dict:
    """The department's yearly figures by kind of event (events already permission-scoped)."""
    by_kind: dict[str, dict] = {}
    total = {
        "events": 0,
        "attendance": 0,
        "roadshow_projects": 0,
        "projects_matched": 0,
        "signings": 0,
        "signed_amount_fen": 0,
    }
    for event in events:
        s = event_statistics(event)
        row = by_kind.setdefault(event.kind, {"kind": event.get_kind_display(), **dict.fromkeys(total, 0)})
        for bucket in (row, total):
            bucket["events"] += 1
            for key in (
                "attendance",
                "roadshow_projects",
                "projects_matched",
                "signings",
                "signed_amount_fen",
            ):
                bucket[key] += s[key]
    rows = [by_kind[code] for code in EventKind.values if code in by_kind]
    return {"rows": rows, "total": total}


def event_statistics(event) -> dict:
    regs = event.registrations.all()
    scheduled = event.meetings.filter(status=Meeting.Status.SCHEDULED)
    held = scheduled.filter(
        low__checked_in_at__isnull=False,
        high__checked_in_at__isnull=False,
        low_response=Meeting.Response.ACCEPTED,
        high_response=Meeting.Response.ACCEPTED,
    )
    outcomes = event.outcomes.all()
    signings = outcomes.filter(kind=Outcome.Kind.SIGNING)
    matched = set(outcomes.exclude(meeting=None).values_list("meeting_id", flat=True))
    matched_projects = set(outcomes.exclude(application=None).values_list("application_id", flat=True))
    by_type = []
    for code, label in DealType.choices:
        rows = signings.filter(deal_type=code)
        n = rows.count()
        if n:
            by_type.append(
                {
                    "type": str(label),
                    "n": n,
                    "amount_wan": wan(sum(rows.values_list("amount_fen", flat=True))),
                }
            )
    return {
        "registrations": regs.exclude(status=Registration.Status.WITHDRAWN).count(),
        "approved": regs.filter(status=Registration.Status.APPROVED).count(),
        "waitlisted": regs.filter(status=Registration.Status.WAITLISTED).count(),
        "attendance": regs.filter(checked_in_at__isnull=False).count(),
        "meeting_requests": event.meeting_requests.filter(status=MeetingRequest.Status.ACTIVE).count(),
        "meetings_scheduled": scheduled.count(),
        "meetings_held": held.count(),
        "roadshow_projects": RoadshowApplication.objects.filter(
            call__event=event, status=RoadshowApplication.Status.SELECTED
        ).count(),
        "projects_matched": len(matched) + len(matched_projects),
        "intentions": outcomes.filter(kind=Outcome.Kind.INTENTION).count(),
        "signings": signings.count(),
        "signed_amount_fen": sum(signings.values_list("amount_fen", flat=True)),
        "by_type": by_type,
    }
