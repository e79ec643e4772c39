"""Roadshow calls: applications, the panel's decisions, the schedule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.errors import DomainError
from kechuang.events import forms, services
from kechuang.events.models import RoadshowApplication, RoadshowCall
from kechuang.events.views.common import fail, fmt, my_registration, viewer_tz, zone
from kechuang.permissions.events import (
    EventCap,
    access_event_by_id,
    can_apply_roadshow,
    can_manage_event,
    can_select_roadshow,
)


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
                score=bounds.parse_int(score, low=0, high=100),
                note=request.POST.get("note", ""),
            )
        elif bounds.parse_int(score, low=0, high=100) is not None:
            services.do_review_application(
                application,
                acting_user=request.user,
                score=bounds.parse_int(score, low=0, high=100),
                note=request.POST.get("note", ""),
            )
    except DomainError as exc:
        fail(request, exc)
    return redirect("events:roadshow", event_id=event.pk, call_id=application.call_id)


@login_required
@require_POST
def schedule_roadshow(request, event_id: int, call_id: int):
    event = access_event_by_id(request.user, event_id, manage=True)
    call = get_object_or_404(RoadshowCall, pk=call_id, event=event)
    session = get_object_or_404(
        event.sessions, pk=bounds.parse_int(request.POST.get("session"), low=1, high=bounds.MAX_ID, default=0)
    )
    try:
        done = services.do_schedule_roadshow(call, session, acting_user=request.user)
    except DomainError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("已为 %(n)d 个入选项目安排路演时间。") % {"n": len(done)})
    return redirect("events:roadshow", event_id=event.pk, call_id=call.pk)
