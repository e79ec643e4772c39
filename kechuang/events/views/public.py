"""The public pages: the list of events and one event."""

from django.conf import settings
from django.shortcuts import render

from kechuang.events import forms
from kechuang.events.models import Event, Registration, RoadshowApplication
from kechuang.events.views.common import fmt, fmt_time, my_registration, times, viewer_tz, zone
from kechuang.permissions import has_cap
from kechuang.permissions.events import (
    EventCap,
    access_event_by_id,
    can_manage_event,
    can_register,
    can_view_stats,
)


def home(request):
    user = request.user
    events = (
        Event.objects.exclude(status=Event.Status.DRAFT)
        .select_related("organiser", "city")
        .prefetch_related("translations")
    )
    drafts = []
    if has_cap(user, EventCap.MANAGE):
        drafts = [
            e
            for e in Event.objects.filter(status=Event.Status.DRAFT).prefetch_related("translations")
            if can_manage_event(user, e)
        ]
    mine = {}
    if user.is_authenticated:
        mine = dict(Registration.objects.filter(user=user).values_list("event_id", "status"))
    rows = []
    for event in list(drafts) + list(events[:200]):
        text = event.translation()
        rows.append(
            {
                "event": event,
                "title": text.title,
                "when": fmt(event.starts_at, event.tzinfo),
                "zone": zone(event.tzinfo) if event.timezone != settings.TIME_ZONE else "",
                "my_status": dict(Registration.Status.choices).get(mine.get(event.pk), ""),
            }
        )
    return render(
        request,
        "events/home.html",
        {
            "rows": rows,
            "can_create": has_cap(user, EventCap.MANAGE),
            "can_report": has_cap(user, EventCap.STATS),
        },
    )


def event_detail(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = my_registration(request, event)
    tz = viewer_tz(request, event, registration)
    text = event.translation()
    sessions = [
        {"s": s, **times(s.starts_at, event, tz), "end": fmt_time(s.ends_at, tz)}
        for s in event.sessions.all()
    ]
    roadshow = [
        {"a": a, **times(a.starts_at, event, tz)}
        for a in RoadshowApplication.objects.filter(
            call__event=event, status=RoadshowApplication.Status.SELECTED, starts_at__isnull=False
        ).select_related("organisation", "session")
    ]
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "text": text,
            "tz": zone(tz),
            "event_zone": zone(event.tzinfo),
            "start": times(event.starts_at, event, tz),
            "end": fmt(event.ends_at, tz),
            "sessions": sessions,
            "roadshow": roadshow,
            "registration": registration,
            "partners": event.partners.all(),
            "calls": event.roadshow_calls.all(),
            "can_register": request.user.is_authenticated
            and can_register(request.user, event)
            and (registration is None or registration.status not in Registration.ACTIVE),
            "can_manage": request.user.is_authenticated and can_manage_event(request.user, event),
            "can_stats": request.user.is_authenticated and can_view_stats(request.user, event),
            "register_form": forms.RegisterForm(initial={"timezone": event.timezone, "wants_meetings": True}),
            "event_languages": [str(name) for code, name in settings.LANGUAGES if code in event.languages],
        },
    )
