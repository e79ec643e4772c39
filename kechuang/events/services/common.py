"""Shared checks of the events services: fields, time zones, locking."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.errors import DomainError, ErrorCode
from kechuang.events.errors import EventError
from kechuang.events.models import Event, EventKind, valid_timezone
from kechuang.registry.models import Region

EVENT_FIELDS = (
    "kind",
    "status",
    "title",
    "description",
    "original_language",
    "languages",
    "timezone",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "city",
    "organiser",
    "quota",
    "when_full",
    "requires_approval",
)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
BADGE_SALT = "kechuang.events.badge"


def aware(value, tz) -> dt.datetime:
    """A naive datetime is read in the event's own time zone (not the server's); aware ones are kept."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        return timezone.make_aware(value, tz)
    return value


def check_timezone(name: str) -> str:
    if not valid_timezone(name):
        raise DomainError(
            EventError.BAD_TIMEZONE,
            _("未知的时区“%(tz)s”，请使用 IANA 时区名，如 Asia/Shanghai、Asia/Jakarta。") % {"tz": name},
            {"field": "timezone"},
        )
    return name


def check_event_fields(fields: dict) -> dict:
    cleaned = dict(fields)
    if "kind" in cleaned and cleaned["kind"] not in EventKind.values:
        raise DomainError(ErrorCode.INVALID, _("未知的活动类型。"), {"field": "kind"})
    if "timezone" in cleaned:
        check_timezone(cleaned["timezone"])
    languages = cleaned.get("languages")
    if languages is not None:
        unknown = [code for code in languages if code not in LANGUAGE_CODES]
        if unknown:
            raise DomainError(
                ErrorCode.INVALID,
                _("不支持的语言：%(codes)s") % {"codes": ", ".join(unknown)},
                {"field": "languages"},
            )
    if "original_language" in cleaned and cleaned["original_language"] not in LANGUAGE_CODES:
        raise DomainError(
            ErrorCode.INVALID, _("不支持的语言：%(codes)s") % {"codes": cleaned["original_language"]}
        )
    if cleaned.get("city") not in (None, "") and not isinstance(cleaned["city"], Region):
        city = Region.objects.filter(pk=str(cleaned["city"]), level=Region.Level.CITY).first()
        if city is None:
            raise DomainError(
                ErrorCode.UNKNOWN_REGION,
                _("未知的城市代码：%(code)s") % {"code": cleaned["city"]},
                {"field": "city"},
            )
        cleaned["city"] = city
    if cleaned.get("city") == "":
        cleaned["city"] = None
    if "title" in cleaned and not (cleaned["title"] or "").strip():
        raise DomainError(ErrorCode.INVALID, _("标题不能为空。"), {"field": "title"})
    if cleaned.get("quota") is not None and cleaned["quota"] < 0:
        raise DomainError(ErrorCode.INVALID, _("名额不能为负数。"), {"field": "quota"})
    return cleaned


def lock_event(event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)
