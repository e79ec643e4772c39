"""The organiser's pages: create and edit, manage, sessions, slots, translations, outcomes, check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.errors import DomainError
from kechuang.events import forms, services
from kechuang.events import stats as event_stats
from kechuang.events.models import Meeting, MeetingRequest, Registration
from kechuang.events.views.common import approved_registration, fail, fmt, fmt_time
from kechuang.permissions import require_cap
from kechuang.permissions.events import EventCap, access_event_by_id
from kechuang.registry.models import Organisation


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
        fail(request, exc)
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
    registration = approved_registration(request, event)
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
            amount_fen=amount or 0,  # fen (MoneyField)
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
        fail(request, exc)
    return redirect("events:manage", event_id=event.pk)


@login_required
@require_POST
def schedule(request, event_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    try:
        job = services.do_schedule_meetings(event, acting_user=request.user)
    except DomainError as exc:
        fail(request, exc)
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
            fail(request, exc)
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
