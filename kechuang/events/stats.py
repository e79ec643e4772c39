"""Figures of an event and of a year of events, for the organiser's page, the report and the API."""

from django.db.models import Count, Q

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
    """One event's figures in five queries: registrations, meetings and requests counted by the database,
    roadshow selections, and the outcomes read once and summed here."""
    regs = event.registrations.aggregate(
        registrations=Count("id", filter=~Q(status=Registration.Status.WITHDRAWN)),
        approved=Count("id", filter=Q(status=Registration.Status.APPROVED)),
        waitlisted=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
        attendance=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    meetings = event.meetings.filter(status=Meeting.Status.SCHEDULED).aggregate(
        meetings_scheduled=Count("id"),
        meetings_held=Count(
            "id",
            filter=Q(
                low__checked_in_at__isnull=False,
                high__checked_in_at__isnull=False,
                low_response=Meeting.Response.ACCEPTED,
                high_response=Meeting.Response.ACCEPTED,
            ),
        ),
    )
    outcomes = list(
        event.outcomes.values_list("kind", "deal_type", "amount_fen", "meeting_id", "application_id")
    )
    signings = [
        (deal_type, amount) for kind, deal_type, amount, _m, _a in outcomes if kind == Outcome.Kind.SIGNING
    ]
    matched = {m for _k, _d, _f, m, _a in outcomes if m is not None}
    matched_projects = {a for _k, _d, _f, _m, a in outcomes if a is not None}
    by_type = []
    for code, label in DealType.choices:
        amounts = [amount for deal_type, amount in signings if deal_type == code]
        if amounts:
            by_type.append({"type": str(label), "n": len(amounts), "amount_wan": wan(sum(amounts))})
    return {
        **regs,
        "meeting_requests": event.meeting_requests.filter(status=MeetingRequest.Status.ACTIVE).count(),
        **meetings,
        "roadshow_projects": RoadshowApplication.objects.filter(
            call__event=event, status=RoadshowApplication.Status.SELECTED
        ).count(),
        "projects_matched": len(matched) + len(matched_projects),
        "intentions": sum(1 for kind, *_rest in outcomes if kind == Outcome.Kind.INTENTION),
        "signings": len(signings),
        "signed_amount_fen": sum(amount for _d, amount in signings),
        "by_type": by_type,
    }
