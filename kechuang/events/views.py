"""Event pages. Views parse, authorise (kechuang.permissions.events), call a service, render."""

import datetime as dt
import io
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.errors import DomainError
from kechuang.events import forms, services
from kechuang.events import stats as event_stats
from kechuang.events.exports import events_report, statistics_export
from kechuang.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RoadshowApplication,
    RoadshowCall,
    valid_timezone,
)
from kechuang.permissions import has_cap, require_cap
from kechuang.permissions.events import (
    EventCap,
    access_event_by_id,
    can_apply_roadshow,
    can_manage_event,
    can_register,
    can_select_roadshow,
    can_view_stats,
)
from kechuang.registry.models import Organisation
from kechuang.spreadsheets import xlsx_response


def zone(tz) -> str:
    from kechuang.web.formats import zone as zone_name

    return zone_name(tz)


def fmt(value, tz) -> str:
    """In the reader's language (CLDR patterns and month names) and in `tz`."""
    from kechuang.web.formats import datetime

    return datetime(value, "medium", tz=tz) if value else ""


def fmt_time(value, tz) -> str:
    """Only the time of day, in the reader's language and in `tz`."""
    from babel.dates import format_time

    from kechuang.web.formats import locale_name

    return format_time(value.astimezone(tz).time(), format="short", locale=locale_name()) if value else ""


def my_registration(request, event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=request.user).first()


def viewer_tz(request, event, registration=None):
    """Times are shown in the participant's zone (their registration, or ?tz=), with the event's zone beside."""
    if registration is not None and registration.status != Registration.Status.WITHDRAWN:
        return registration.tzinfo
    tz = request.GET.get("tz", "")
    if valid_timezone(tz):
        return zoneinfo.ZoneInfo(tz)
    return event.tzinfo


def times(value, event, tz) -> dict:
    return {
        "local": fmt(value, tz),
        "event": fmt(value, event.tzinfo),
        "event_time": fmt_time(value, event.tzinfo),
        "differs": tz.key != event.tzinfo.key,
    }


def _fail(request, exc: DomainError):
    messages.error(request, exc.message)


def _approved_registration(request, event) -> Registration:
    registration = my_registration(request, event)
    if registration is None or registration.status != Registration.Status.APPROVED:
        raise Http404
    return registration


# --- public pages --------------------------------------------------------------------------------------------


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


# --- participants ----------------------------------------------------------------------------------------


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
        _fail(request, exc)
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
    registration = _approved_registration(request, event)
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
    registration = _approved_registration(request, event)
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
    registration = _approved_registration(request, event)
    target = get_object_or_404(Registration, pk=target_id, event=event)
    try:
        services.do_request_meeting(
            registration, target, acting_user=request.user, message=request.POST.get("message", "")
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已向 %(name)s 发起洽谈请求。") % {"name": target})
    return redirect("events:participants", event_id=event.pk)


@login_required
@require_POST
def set_availability(request, event_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = _approved_registration(request, event)
    available = {int(x) for x in request.POST.getlist("available") if x.isdigit()}
    blocked = [s.pk for s in event.meeting_slots.all() if s.pk not in available]
    try:
        services.do_set_availability(registration, unavailable_slot_ids=blocked, acting_user=request.user)
    except DomainError as exc:
        _fail(request, exc)
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
        _fail(request, exc)
    return redirect("events:agenda", event_id=event.pk)


# --- organisers --------------------------------------------------------------------------------------------


@login_required
def event_create(request):
    require_cap(request.user, EventCap.MANAGE)
    form = forms.EventForm(request.POST or None, initial={"city": request.user.city_id or ""})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.do_create_event(
                acting_user=request.user, organiser=request.user.organisation, **form.service_fields()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("events:manage", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form})


@login_required
def event_edit(request, event_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    tz = event.tzinfo
    initial = {
        name: getattr(event, name)
        for name in (
            "kind",
            "title",
            "description",
            "original_language",
            "languages",
            "timezone",
            "venue",
            "online_url",
            "quota",
            "when_full",
            "requires_approval",
            "status",
        )
    }
    initial.update(
        city=event.city_id or "",
        partner_ids=",".join(str(pk) for pk in event.partners.values_list("pk", flat=True)),
        starts_at=event.starts_at.astimezone(tz).replace(tzinfo=None),
        ends_at=event.ends_at.astimezone(tz).replace(tzinfo=None),
    )
    form = forms.EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_event(event, acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("events:manage", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def manage(request, event_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    regs = event.registrations.select_related("user", "organisation").order_by("status", "created_at")
    tz = event.tzinfo
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "text": event.translation(),
            "registrations": regs[:1000],
            "sessions": [
                {"s": s, "start": fmt(s.starts_at, tz), "end": fmt_time(s.ends_at, tz)}
                for s in event.sessions.all()
            ],
            "slots": [{"s": s, "start": fmt_time(s.starts_at, tz)} for s in event.meeting_slots.all()],
            "calls": event.roadshow_calls.all(),
            "session_form": forms.SessionForm(prefix="session"),
            "slots_form": forms.SlotsForm(prefix="slots"),
            "call_form": forms.RoadshowCallForm(prefix="call"),
            "outcome_form": forms.OutcomeForm(prefix="outcome"),
            "translation_form": forms.TranslationForm(prefix="tr"),
            "translations": event.translations.all(),
            "slot_loads": event_stats.slot_loads(event),
            "load_series": [{"name": _("已排洽谈"), "key": "meetings"}, {"name": _("桌数"), "key": "tables"}],
            "meeting_counts": {
                "requests": event.meeting_requests.filter(status=MeetingRequest.Status.ACTIVE).count(),
                "scheduled": event.meetings.filter(status=Meeting.Status.SCHEDULED).count(),
                "unplaced": event.meetings.filter(status=Meeting.Status.UNPLACED).count(),
            },
        },
    )


def _manage_post(request, event_id, form_class, prefix, action, success):
    event = access_event_by_id(request.user, event_id, manage=True)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}"
            )
        return redirect("events:manage", event_id=event.pk)
    try:
        action(event, form.cleaned_data)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)
    return redirect("events:manage", event_id=event.pk)


def _naive(value):
    return value.replace(tzinfo=None)


@login_required
@require_POST
def add_session(request, event_id: int):
    return _manage_post(
        request,
        event_id,
        forms.SessionForm,
        "session",
        lambda event, d: services.do_add_session(
            event,
            acting_user=request.user,
            title=d["title"],
            room=d["room"],
            kind=d["kind"],
            starts_at=_naive(d["starts_at"]),
            ends_at=_naive(d["ends_at"]),
        ),
        _("场次已添加。"),
    )


@login_required
@require_POST
def add_slots(request, event_id: int):
    return _manage_post(
        request,
        event_id,
        forms.SlotsForm,
        "slots",
        lambda event, d: services.do_add_meeting_slots(
            event,
            acting_user=request.user,
            starts_at=_naive(d["starts_at"]),
            minutes=d["minutes"],
            count=d["count"],
            tables=d["tables"],
        ),
        _("洽谈时段已添加。"),
    )


@login_required
@require_POST
def open_call(request, event_id: int):
    return _manage_post(
        request,
        event_id,
        forms.RoadshowCallForm,
        "call",
        lambda event, d: services.do_open_roadshow_call(
            event,
            acting_user=request.user,
            title=d["title"],
            closes_at=_naive(d["closes_at"]),
            minutes_per_project=d["minutes_per_project"],
        ),
        _("路演项目征集已发布。"),
    )


@login_required
@require_POST
def set_translation(request, event_id: int):
    return _manage_post(
        request,
        event_id,
        forms.TranslationForm,
        "tr",
        lambda event, d: services.do_set_translation(
            event,
            d["language"],
            title=d["title"],
            description=d["description"],
            machine_translated=d["machine_translated"],
            acting_user=request.user,
        ),
        _("译文已保存。"),
    )


@login_required
@require_POST
def withdraw_request(request, event_id: int, target_id: int):
    event = access_event_by_id(request.user, event_id)
    registration = _approved_registration(request, event)
    meeting_request = get_object_or_404(
        MeetingRequest, event=event, requester=registration, target_id=target_id
    )
    services.do_withdraw_meeting_request(meeting_request, acting_user=request.user)
    messages.success(request, _("洽谈请求已撤回。"))
    return redirect("events:participants", event_id=event.pk)


@login_required
@require_POST
def add_outcome(request, event_id: int):
    def action(event, d):
        meeting = None
        if d.get("meeting_id"):
            meeting = Meeting.objects.filter(pk=d["meeting_id"], event=event).first()
            if meeting is None:
                raise DomainError(services.ErrorCode.INVALID, _("洽谈编号不属于该活动。"))
        parties = list(Organisation.objects.filter(pk__in=d["party_ids"]))
        if len(parties) != len(set(d["party_ids"])):
            raise DomainError(services.ErrorCode.INVALID, _("有参与方机构编号不存在。"))
        amount = d.get("amount_yuan")
        return services.do_record_outcome(
            event,
            acting_user=request.user,
            kind=d["kind"],
            deal_type=d["deal_type"],
            title=d["title"],
            parties=parties,
            amount_fen=int(amount * 100) if amount is not None else 0,
            meeting=meeting,
            signed_on=d.get("signed_on"),
        )

    return _manage_post(request, event_id, forms.OutcomeForm, "outcome", action, _("成果已记录。"))


@login_required
@require_POST
def decide(request, event_id: int, registration_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    registration = get_object_or_404(Registration, pk=registration_id, event=event)
    try:
        services.do_decide_registration(
            registration, approve=request.POST.get("approve") == "1", acting_user=request.user
        )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("events:manage", event_id=event.pk)


@login_required
@require_POST
def schedule(request, event_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    try:
        job = services.do_schedule_meetings(event, acting_user=request.user)
    except DomainError as exc:
        _fail(request, exc)
        return redirect("events:manage", event_id=event.pk)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
def check_in(request, event_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    checked = None
    if request.method == "POST":
        try:
            checked = services.do_check_in(event, request.POST.get("token", ""), acting_user=request.user)
        except DomainError as exc:
            _fail(request, exc)
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "text": event.translation(),
            "checked": checked,
            "checked_time": fmt(checked.checked_in_at, event.tzinfo) if checked else "",
            "count": event.registrations.filter(checked_in_at__isnull=False).count(),
            "approved": event.registrations.filter(status=Registration.Status.APPROVED).count(),
        },
    )


# --- roadshows ---------------------------------------------------------------------------------------------


@login_required
def roadshow(request, event_id: int, call_id: int):
    event = access_event_by_id(request.user, event_id)
    call = get_object_or_404(RoadshowCall, pk=call_id, event=event)
    panel = can_select_roadshow(request.user, event)
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST":
        if not can_apply_roadshow(request.user, call):
            raise PermissionDenied(EventCap.ROADSHOW_APPLY)
        if form.is_valid():
            try:
                services.do_apply_roadshow(call, acting_user=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("申报已提交。"))
                return redirect("events:roadshow", event_id=event.pk, call_id=call.pk)
    applications = call.applications.select_related("organisation", "session").annotate(
        n_reviews=Count("reviews")
    )
    if not panel:
        applications = applications.filter(organisation_id=request.user.organisation_id)
    tz = viewer_tz(request, event, my_registration(request, event))
    return render(
        request,
        "events/roadshow.html",
        {
            "event": event,
            "text": event.translation(),
            "call": call,
            "form": form,
            "panel": panel,
            "can_apply": can_apply_roadshow(request.user, call)
            and call.status == RoadshowCall.Status.OPEN
            and call.closes_at > timezone.now(),
            "can_manage": can_manage_event(request.user, event),
            "rows": [{"a": a, "when": fmt(a.starts_at, tz)} for a in applications],
            "sessions": event.sessions.all(),
            "closes": fmt(call.closes_at, tz),
            "tz": zone(tz),
            "event_zone": zone(event.tzinfo),
        },
    )


@login_required
@require_POST
def select_application(request, event_id: int, application_id: int):
    event = access_event_by_id(request.user, event_id)
    application = get_object_or_404(RoadshowApplication, pk=application_id, call__event=event)
    if not can_select_roadshow(request.user, event):
        raise Http404
    score = request.POST.get("score", "")
    decision = request.POST.get("selected", "")
    try:
        if decision in ("0", "1"):
            services.do_select_application(
                application,
                selected=decision == "1",
                acting_user=request.user,
                score=int(score) if score.isdigit() else None,
                note=request.POST.get("note", ""),
            )
        elif score.isdigit():
            services.do_review_application(
                application, acting_user=request.user, score=int(score), note=request.POST.get("note", "")
            )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("events:roadshow", event_id=event.pk, call_id=application.call_id)


@login_required
@require_POST
def schedule_roadshow(request, event_id: int, call_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    call = get_object_or_404(RoadshowCall, pk=call_id, event=event)
    session = get_object_or_404(event.sessions, pk=request.POST.get("session") or 0)
    try:
        done = services.do_schedule_roadshow(call, session, acting_user=request.user)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已为 %(n)d 个入选项目安排路演时间。") % {"n": len(done)})
    return redirect("events:roadshow", event_id=event.pk, call_id=call.pk)


# --- statistics --------------------------------------------------------------------------------------------


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
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
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
    events = _report_events(request, int(year) if year.isdigit() else None)
    return xlsx_response(
        events_report(events), f"events-report-{year or 'all'}-{timezone.localdate():%Y%m%d}.xlsx"
    )
