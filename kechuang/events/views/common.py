"""Helpers of the event pages: time zones, the viewer's registration, refusals as messages."""

import zoneinfo

from django.contrib import messages
from django.http import Http404

from kechuang.errors import DomainError
from kechuang.events.models import Registration, valid_timezone


def zone(tz) -> str:
    from kechuang.formats import zone as zone_name

    return zone_name(tz)


def fmt(value, tz) -> str:
    """In the reader's language (CLDR patterns and month names) and in `tz`."""
    from kechuang.formats import datetime

    return datetime(value, "medium", tz=tz) if value else ""


def fmt_time(value, tz) -> str:
    """Only the time of day, in the reader's language and in `tz`."""
    from babel.dates import format_time

    from kechuang.formats import locale_name

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


def fail(request, exc: DomainError):
    messages.error(request, exc.message)


def approved_registration(request, event) -> Registration:
    registration = my_registration(request, event)
    if registration is None or registration.status != Registration.Status.APPROVED:
        raise Http404
    return registration
