"""A participant's pages: registration, badge, participants, meeting requests, agenda."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.errors import DomainError
from kechuang.events import forms, services
from kechuang.events.models import Meeting, MeetingRequest, Registration
from kechuang.events.views.common import (
    approved_registration,
    fail,
    fmt,
    fmt_time,
    my_registration,
    times,
    zone,
)
from kechuang.permissions.events import EventCap, access_event_by_id, can_register


@login_required
@require_POST
def register(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    if not can_register(request.user, event):
        raise PermissionDenied(EventCap.REGISTER)
    form = forms.RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查报名信息。"))
        return redirect("events:detail", event_id=event.pk)
    try:
        reg = services.do_register(
            event,
            acting_user=request.user,
            timezone_name=form.cleaned_data["timezone"],
            note=form.cleaned_data["note"],
            wants_meetings=form.cleaned_data["wants_meetings"],
        )
    except DomainError as exc:
        fail(request, exc)
    else:
        messages.success(
            request, _("报名已提交，当前状态：%(status)s。") % {"status": reg.get_status_display()}
        )
    return redirect("events:detail", event_id=event.pk)


@login_required
@require_POST
def withdraw(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = my_registration(request, event)
    if registration is None:
        raise Http404
    services.do_withdraw_registration(registration, acting_user=request.user)
    messages.success(request, _("您已退出该活动，您的洽谈已取消。"))
    return redirect("events:detail", event_id=event.pk)


@login_required
def badge(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = approved_registration(request, event)
    token = services.badge_token(registration)
    svg = ""
    try:
        import segno  # optional: a QR picture of the same signed code
    except ImportError:  # pragma: no cover - the text code is enough at the door
        segno = None
    if segno is not None:
        buffer = io.BytesIO()
        segno.make(token, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True, nl=False)
        svg = buffer.getvalue().decode()
    return render(
        request,
        "events/badge.html",
        {
            "event": event,
            "text": event.translation(),
            "registration": registration,
            "token": token,
            "qr_svg": svg,
        },
    )


@login_required
def participants(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = approved_registration(request, event)
    asked = set(
        MeetingRequest.objects.filter(
            requester=registration, status=MeetingRequest.Status.ACTIVE
        ).values_list("target_id", flat=True)
    )
    asked_me = set(
        MeetingRequest.objects.filter(target=registration, status=MeetingRequest.Status.ACTIVE).values_list(
            "requester_id", flat=True
        )
    )
    others = (
        event.registrations.filter(status=Registration.Status.APPROVED, wants_meetings=True)
        .exclude(pk=registration.pk)
        .select_related("user", "organisation")
        .order_by("organisation__name", "id")
    )
    q = request.GET.get("q", "").strip()
    if q:
        others = others.filter(organisation__name__icontains=q)
    tz = registration.tzinfo
    slots = [
        {
            "slot": s,
            "when": fmt(s.starts_at, tz),
            "event_time": fmt_time(s.starts_at, event.tzinfo),
            "blocked": s.pk in set(registration.unavailable_slots.values_list("pk", flat=True)),
        }
        for s in event.meeting_slots.all()
    ]
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "text": event.translation(),
            "registration": registration,
            "q": q,
            "rows": [{"r": r, "asked": r.pk in asked, "asked_me": r.pk in asked_me} for r in others[:500]],
            "slots": slots,
            "tz": zone(tz),
            "event_zone": zone(event.tzinfo),
        },
    )


@login_required
@require_POST
def request_meeting(request, event_id: int, target_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = approved_registration(request, event)
    target = get_object_or_404(Registration, pk=target_id, event=event)
    try:
        services.do_request_meeting(
            registration, target, acting_user=request.user, message=request.POST.get("message", "")
        )
    except DomainError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("已向 %(name)s 发起洽谈请求。") % {"name": target})
    return redirect("events:participants", event_id=event.pk)


@login_required
@require_POST
def set_availability(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = approved_registration(request, event)
    available = {
        bounds.parse_int(x, low=1, high=bounds.MAX_ID) for x in request.POST.getlist("available")[:10_000]
    }
    blocked = [s.pk for s in event.meeting_slots.all() if s.pk not in available]
    try:
        services.do_set_availability(registration, unavailable_slot_ids=blocked, acting_user=request.user)
    except DomainError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("可洽谈时段已保存。"))
    return redirect("events:participants", event_id=event.pk)


@login_required
def agenda(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = my_registration(request, event)
    if registration is None:
        raise Http404
    tz = registration.tzinfo
    rows = []
    meetings = services.agenda(registration)
    reasons = services.explain_unplaced(registration, meetings)
    for m in meetings:
        labels = dict(Meeting.Response.choices)
        rows.append(
            {
                "m": m,
                "other": m.other(registration),
                "mine": m.response_of(registration),
                "why": reasons.get(m.pk, ""),
                "mine_label": labels[m.response_of(registration)],
                "theirs_label": labels[m.response_of(m.other(registration))],
                **(
                    times(m.slot.starts_at, event, tz)
                    if m.slot_id
                    else {"local": "", "event": "", "differs": False}
                ),
            }
        )
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "text": event.translation(),
            "rows": rows,
            "registration": registration,
            "tz": zone(tz),
            "event_zone": zone(event.tzinfo),
        },
    )


def ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@login_required
def agenda_ics(request, event_id: int):
    """The personal agenda as an iCalendar file (times in UTC, so every calendar shows them in its own zone)."""
    event = access_event_by_id(request.user, event_id)
    registration = my_registration(request, event)
    if registration is None:
        raise Http404
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kechuang//events//ZH", "CALSCALE:GREGORIAN"]
    for m in services.agenda(registration):
        if m.status != Meeting.Status.SCHEDULED:
            continue
        other = m.other(registration)
        summary = _("洽谈：%(name)s") % {
            "name": f"{other.user} {other.organisation.name if other.organisation_id else ''}".strip()
        }
        lines += [
            "BEGIN:VEVENT",
            f"UID:kechuang-meeting-{m.pk}@events",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{m.slot.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
            f"DTEND:{m.slot.ends_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{ics_text(summary)}",
            f"LOCATION:{ics_text(_('%(venue)s 第 %(table)d 桌') % {'venue': event.venue, 'table': m.table + 1})}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.pk}.ics"'
    return response


@login_required
@require_POST
def respond(request, event_id: int, meeting_id: int):
    event = access_event_by_id(request.user, event_id)
    meeting = get_object_or_404(Meeting, pk=meeting_id, event=event)
    if request.user.pk not in (meeting.low.user_id, meeting.high.user_id):
        raise Http404
    try:
        services.do_respond_meeting(
            meeting, accept=request.POST.get("accept") == "1", acting_user=request.user
        )
    except DomainError as exc:
        fail(request, exc)
    return redirect("events:agenda", event_id=event.pk)
