"""Events, their translations, sessions and meeting slots."""

import datetime as dt
import zoneinfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import diff, record, snapshot
from kechuang.errors import DomainError, ErrorCode
from kechuang.events.errors import EventError
from kechuang.events.models import Event, EventTranslation, MeetingSlot, Registration, Session
from kechuang.events.services.common import (
    EVENT_FIELDS,
    LANGUAGE_CODES,
    aware,
    check_event_fields,
    lock_event,
)
from kechuang.permissions import has_cap, require
from kechuang.permissions.events import EventCap, can_manage_event


@transaction.atomic
def do_create_event(*, acting_user, partners=(), **fields) -> Event:
    require(has_cap(acting_user, EventCap.MANAGE), EventCap.MANAGE)
    cleaned = check_event_fields(fields)
    tz = zoneinfo.ZoneInfo(cleaned.get("timezone") or "Asia/Shanghai")
    for name in ("starts_at", "ends_at"):
        cleaned[name] = aware(cleaned[name], tz)
    if cleaned["ends_at"] <= cleaned["starts_at"]:
        raise DomainError(ErrorCode.INVALID, _("结束时间必须晚于开始时间。"), {"field": "ends_at"})
    if acting_user.city_id and (cleaned.get("city") is None or cleaned["city"].pk != acting_user.city_id):
        raise PermissionDenied(EventCap.MANAGE)  # a city official organises events of their own city only
    cleaned.setdefault("languages", [cleaned.get("original_language", "zh-hans")])
    event = Event.objects.create(created_by=acting_user, **cleaned)
    if partners:
        event.partners.set(partners)
    record(
        "events.event.create",
        event,
        acting_user=acting_user,
        changes=diff(
            {}, snapshot(event, ("kind", "title", "timezone", "starts_at", "ends_at", "quota", "organiser"))
        ),
        organisation_id=event.organiser_id,
    )
    return event


@transaction.atomic
def do_update_event(event, *, acting_user, partners=None, **fields) -> Event:
    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID, _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    event = lock_event(event)
    cleaned = check_event_fields(fields)
    tz = zoneinfo.ZoneInfo(cleaned["timezone"]) if "timezone" in cleaned else event.tzinfo
    for name in ("starts_at", "ends_at"):
        if name in cleaned:
            cleaned[name] = aware(cleaned[name], tz)
    before = snapshot(event, EVENT_FIELDS[:-1])
    for name, value in cleaned.items():
        setattr(event, name, value)
    if event.ends_at <= event.starts_at:
        raise DomainError(ErrorCode.INVALID, _("结束时间必须晚于开始时间。"), {"field": "ends_at"})
    if "quota" in cleaned and event.quota is not None:
        approved = event.registrations.filter(status=Registration.Status.APPROVED).count()
        if approved > event.quota:
            raise DomainError(
                EventError.EVENT_FULL,
                _("已有 %(n)d 人获准参加，名额不能少于该数。") % {"n": approved},
                {"field": "quota"},
            )
    event.save()
    if partners is not None:
        event.partners.set(partners)
    changes = diff(before, snapshot(event, EVENT_FIELDS[:-1]))
    if changes or partners is not None:
        record(
            "events.event.update",
            event,
            acting_user=acting_user,
            changes=changes,
            organisation_id=event.organiser_id,
        )
    return event


@transaction.atomic
def do_set_translation(
    event, language: str, *, title: str, description: str = "", machine_translated: bool = False, acting_user
) -> EventTranslation:
    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    if language not in LANGUAGE_CODES:
        raise DomainError(ErrorCode.INVALID, _("不支持的语言：%(codes)s") % {"codes": language})
    if not title.strip():
        raise DomainError(ErrorCode.INVALID, _("标题不能为空。"), {"field": "title"})
    row, created = EventTranslation.objects.update_or_create(
        event=event,
        language=language,
        defaults={
            "title": title.strip(),
            "description": description,
            "machine_translated": machine_translated,
        },
    )
    record(
        "events.event.translate",
        event,
        acting_user=acting_user,
        changes={language: [None if created else "…", title]},
        organisation_id=event.organiser_id,
    )
    return row


@transaction.atomic
def do_add_session(
    event, *, acting_user, title: str, room: str, starts_at, ends_at, kind=Session.Kind.TALK
) -> Session:
    """Sessions in the same room may not overlap; times without a zone are read in the event's time zone."""
    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    event = lock_event(event)  # serialises concurrent additions to the same event
    starts_at, ends_at = aware(starts_at, event.tzinfo), aware(ends_at, event.tzinfo)
    room = (room or "").strip()
    if not room:
        raise DomainError(ErrorCode.INVALID, _("请填写会场。"), {"field": "room"})
    if ends_at <= starts_at:
        raise DomainError(ErrorCode.INVALID, _("结束时间必须晚于开始时间。"), {"field": "ends_at"})
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise DomainError(ErrorCode.INVALID, _("场次时间必须在活动时间之内。"), {"field": "starts_at"})
    clash = event.sessions.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash is not None:
        local = clash.starts_at.astimezone(event.tzinfo), clash.ends_at.astimezone(event.tzinfo)
        raise DomainError(
            EventError.SESSION_OVERLAP,
            _("会场“%(room)s”在 %(start)s–%(end)s 已安排“%(title)s”，时间重叠。")
            % {
                "room": room,
                "start": f"{local[0]:%m-%d %H:%M}",
                "end": f"{local[1]:%H:%M}",
                "title": clash.title,
            },
            {"conflict_session_id": clash.pk},
            status=409,
        )
    session = Session.objects.create(
        event=event, title=title, room=room, starts_at=starts_at, ends_at=ends_at, kind=kind
    )
    record(
        "events.session.add",
        event,
        acting_user=acting_user,
        changes={
            "session": [None, {"title": title, "room": room, "starts_at": starts_at, "ends_at": ends_at}]
        },
        organisation_id=event.organiser_id,
    )
    return session


@transaction.atomic
def do_add_meeting_slots(
    event, *, acting_user, starts_at, minutes: int, count: int, tables: int
) -> list[MeetingSlot]:
    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    event = lock_event(event)
    if not (1 <= count <= 64 and 5 <= minutes <= 240 and 1 <= tables <= 1000):
        raise DomainError(ErrorCode.INVALID, _("时段数 1–64，时长 5–240 分钟，桌数 1–1000。"))
    start = aware(starts_at, event.tzinfo)
    last = event.meeting_slots.order_by("-index").first()
    first_index = last.index + 1 if last else 0
    if last and start < last.ends_at:
        raise DomainError(EventError.SESSION_OVERLAP, _("新时段与已有洽谈时段重叠。"), status=409)
    slots = []
    for i in range(count):
        begin = start + dt.timedelta(minutes=minutes * i)
        slots.append(
            MeetingSlot(
                event=event,
                index=first_index + i,
                starts_at=begin,
                ends_at=begin + dt.timedelta(minutes=minutes),
                tables=tables,
            )
        )
    if slots[-1].ends_at > event.ends_at or start < event.starts_at:
        raise DomainError(ErrorCode.INVALID, _("洽谈时段必须在活动时间之内。"))
    MeetingSlot.objects.bulk_create(slots)
    record(
        "events.slots.add",
        event,
        acting_user=acting_user,
        changes={"slots": [None, {"from": start, "count": count, "minutes": minutes, "tables": tables}]},
        organisation_id=event.organiser_id,
    )
    return list(event.meeting_slots.filter(index__gte=first_index))
