"""Every change to events goes through these functions: atomic, audited, permission-checked."""

import datetime as dt
import zoneinfo
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import diff, record, snapshot
from kechuang.bounds import MAX_FEN
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.events import scheduling
from kechuang.events.models import (
    DealType,
    Event,
    EventKind,
    EventTranslation,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Outcome,
    PanelReview,
    Registration,
    RoadshowApplication,
    RoadshowCall,
    Session,
    valid_timezone,
)
from kechuang.money import wan
from kechuang.permissions import has_cap, require
from kechuang.permissions.events import (
    EventCap,
    can_act_as_participant,
    can_apply_roadshow,
    can_manage_event,
    can_record_outcome,
    can_register,
    can_select_roadshow,
    may_name_outcome_parties,
)
from kechuang.registry.models import Region


class EventError(StrEnum):
    EVENT_FULL = "event_full"
    SESSION_OVERLAP = "session_overlap"
    DUPLICATE = "duplicate"
    SELF_MEETING = "self_meeting"
    NOT_PARTICIPANT = "not_participant"
    BAD_TIMEZONE = "bad_timezone"
    BAD_BADGE = "bad_badge"
    ALREADY_CHECKED_IN = "already_checked_in"
    CLOSED = "closed"
    CONFLICT_OF_INTEREST = "conflict_of_interest"


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


# --- helpers -----------------------------------------------------------------------------------------------


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


def _lock_event(event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


# --- events, translations, sessions ------------------------------------------------------------------------


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
    event = _lock_event(event)
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
    event = _lock_event(event)  # serialises concurrent additions to the same event
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
    event = _lock_event(event)
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


# --- registration, badges, check-in ------------------------------------------------------------------------


def _seats_left(event) -> int | None:
    if event.quota is None:
        return None
    return event.quota - event.registrations.filter(status=Registration.Status.APPROVED).count()


def _full_error(event):
    return DomainError(
        EventError.EVENT_FULL,
        _("“%(title)s”的 %(quota)d 个名额已满，不再接受报名。")
        % {"title": event.title, "quota": event.quota},
        status=409,
    )


@transaction.atomic
def do_register(
    event, *, acting_user, timezone_name: str = "", note: str = "", wants_meetings: bool = True
) -> Registration:
    """Register for an event. Past the quota: the waitlist, or a clear refusal, as the event says."""
    require(can_register(acting_user, event), EventCap.REGISTER)
    event = _lock_event(event)  # quota decisions are serialised per event
    tz_name = check_timezone(timezone_name or event.timezone)
    existing = Registration.objects.filter(event=event, user=acting_user).first()
    if existing is not None and existing.status in Registration.ACTIVE:
        raise DomainError(
            EventError.DUPLICATE,
            _("您已报名该活动（状态：%(status)s）。") % {"status": existing.get_status_display()},
            {"registration_id": existing.pk},
            status=409,
        )
    if existing is not None and existing.status == Registration.Status.REFUSED:
        raise DomainError(
            ErrorCode.INVALID_STATE, _("您的报名未通过审核，如有疑问请联系主办方。"), status=409
        )
    left = _seats_left(event)
    if left is not None and left <= 0:
        if event.when_full == Event.WhenFull.REFUSE:
            raise _full_error(event)
        status = Registration.Status.WAITLISTED
    else:
        status = Registration.Status.PENDING if event.requires_approval else Registration.Status.APPROVED
    registration = existing or Registration(event=event, user=acting_user)
    registration.organisation_id = acting_user.organisation_id
    registration.status = status
    registration.timezone = tz_name
    registration.note = note[:300]
    registration.wants_meetings = wants_meetings
    registration.decided_at = timezone.now() if status == Registration.Status.APPROVED else None
    registration.save()
    record(
        "events.registration.create",
        registration,
        acting_user=acting_user,
        changes={"status": [existing.status if existing else None, status]},
        organisation_id=registration.organisation_id,
    )
    return registration


@transaction.atomic
def do_decide_registration(registration, *, approve: bool, acting_user) -> Registration:
    require(can_manage_event(acting_user, registration.event), EventCap.MANAGE)
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (Registration.Status.PENDING, Registration.Status.WAITLISTED):
        raise DomainError(
            ErrorCode.INVALID_STATE,
            _("该报名已处理（%(status)s）。") % {"status": registration.get_status_display()},
            status=409,
        )
    before = registration.status
    if approve:
        left = _seats_left(event)
        if left is not None and left <= 0:
            raise _full_error(event)
        registration.status = Registration.Status.APPROVED
    else:
        registration.status = Registration.Status.REFUSED
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "decided_at"])
    record(
        "events.registration.decide",
        registration,
        acting_user=acting_user,
        changes={"status": [before, registration.status]},
        organisation_id=registration.organisation_id,
    )
    return registration


def _promote_waitlist(event, *, acting_user) -> Registration | None:
    left = _seats_left(event)
    if left is not None and left <= 0:
        return None
    nxt = (
        event.registrations.select_for_update()
        .filter(status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = Registration.Status.PENDING if event.requires_approval else Registration.Status.APPROVED
    nxt.decided_at = timezone.now() if nxt.status == Registration.Status.APPROVED else None
    nxt.save(update_fields=["status", "decided_at"])
    record(
        "events.registration.promote",
        nxt,
        acting_user=acting_user,
        changes={"status": [Registration.Status.WAITLISTED, nxt.status]},
        organisation_id=nxt.organisation_id,
    )
    return nxt


@transaction.atomic
def do_withdraw_registration(registration, *, acting_user) -> Registration:
    """A participant withdraws: their meetings are cancelled (the others keep theirs), their requests
    withdrawn, the seat goes to the waitlist, and the meeting plan is redone around the gap."""
    require(
        can_act_as_participant(acting_user, registration)
        or can_manage_event(acting_user, registration.event),
        "events.registration:withdraw",
    )
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.WITHDRAWN:
        return registration
    before = registration.status
    registration.status = Registration.Status.WITHDRAWN
    registration.save(update_fields=["status"])
    cancelled = (
        Meeting.objects.filter(Q(low=registration) | Q(high=registration), event=event)
        .exclude(status=Meeting.Status.DECLINED)
        .update(status=Meeting.Status.CANCELLED, slot=None, table=None)
    )
    MeetingRequest.objects.filter(Q(requester=registration) | Q(target=registration)).update(
        status=MeetingRequest.Status.WITHDRAWN
    )
    record(
        "events.registration.withdraw",
        registration,
        acting_user=acting_user,
        changes={"status": [before, Registration.Status.WITHDRAWN], "meetings_cancelled": [0, cancelled]},
        organisation_id=registration.organisation_id,
    )
    if before == Registration.Status.APPROVED:
        _promote_waitlist(event, acting_user=acting_user)
    if cancelled:
        _replan_later(event, acting_user)
    return registration


def badge_token(registration) -> str:
    """The code on the badge: signed, so it cannot be forged or altered; shows as text and as a QR code."""
    return signing.dumps({"r": registration.pk, "e": registration.event_id}, salt=BADGE_SALT, compress=True)


def read_badge(token: str) -> dict:
    try:
        return signing.loads((token or "").strip(), salt=BADGE_SALT)
    except signing.BadSignature:
        raise DomainError(EventError.BAD_BADGE, _("签到码无效：不是本平台签发的胸卡，或已被篡改。"))


@transaction.atomic
def do_check_in(event, token: str, *, acting_user) -> Registration:
    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    data = read_badge(token)
    if data.get("e") != event.pk:
        raise DomainError(EventError.BAD_BADGE, _("该胸卡属于另一场活动。"))
    registration = (
        Registration.objects.select_for_update()
        .select_related("user")
        .filter(pk=data.get("r"), event=event)
        .first()
    )
    if registration is None:
        raise DomainError(EventError.BAD_BADGE, _("签到码无效：找不到对应的报名。"))
    if registration.status != Registration.Status.APPROVED:
        raise DomainError(
            ErrorCode.INVALID_STATE,
            _("%(name)s 的报名状态为“%(status)s”，不能签到。")
            % {"name": registration.user, "status": registration.get_status_display()},
            status=409,
        )
    if registration.checked_in_at is not None:
        local = registration.checked_in_at.astimezone(event.tzinfo)
        raise DomainError(
            EventError.ALREADY_CHECKED_IN,
            _("%(name)s 已于 %(time)s 签到。") % {"name": registration.user, "time": f"{local:%H:%M}"},
            {"registration_id": registration.pk},
            status=409,
        )
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    record(
        "events.registration.check_in",
        registration,
        acting_user=acting_user,
        changes={"checked_in": [False, True]},
        organisation_id=registration.organisation_id,
    )
    return registration


@transaction.atomic
def do_set_availability(registration, *, unavailable_slot_ids, acting_user) -> Registration:
    """Changing availability re-plans only the meetings in slots the participant can no longer attend."""
    require(can_act_as_participant(acting_user, registration), "events.registration:edit")
    slots = list(
        MeetingSlot.objects.filter(event_id=registration.event_id, pk__in=list(unavailable_slot_ids))
    )
    if len(slots) != len(set(unavailable_slot_ids)):
        raise DomainError(ErrorCode.INVALID, _("所选时段不属于该活动。"))
    before = sorted(registration.unavailable_slots.values_list("index", flat=True))
    registration.unavailable_slots.set(slots)
    after = sorted(s.index for s in slots)
    if before != after:
        record(
            "events.registration.availability",
            registration,
            acting_user=acting_user,
            changes={"unavailable_slots": [before, after]},
            organisation_id=registration.organisation_id,
        )
        affected = Meeting.objects.filter(
            Q(low=registration) | Q(high=registration), status=Meeting.Status.SCHEDULED, slot__in=slots
        ).exists()
        if affected:
            _replan_later(registration.event, acting_user)
    return registration


# --- meeting requests, scheduling, agenda ------------------------------------------------------------------


@transaction.atomic
def do_request_meeting(
    requester: Registration, target: Registration, *, acting_user, message: str = ""
) -> MeetingRequest:
    require(can_act_as_participant(acting_user, requester), "events.meeting:request")
    requester, target = (Registration.objects.select_for_update().get(pk=r.pk) for r in (requester, target))
    if requester.pk == target.pk or requester.user_id == target.user_id:
        raise DomainError(EventError.SELF_MEETING, _("不能向自己发起洽谈请求。"))
    if requester.event_id != target.event_id:
        raise DomainError(ErrorCode.INVALID, _("对方未报名同一场活动。"))
    if requester.status != Registration.Status.APPROVED:
        raise DomainError(EventError.NOT_PARTICIPANT, _("您的报名尚未通过，暂不能发起洽谈请求。"), status=409)
    if target.status != Registration.Status.APPROVED or not target.wants_meetings:
        raise DomainError(EventError.NOT_PARTICIPANT, _("对方已退出活动或不参加一对一洽谈。"), status=409)
    low, high = sorted((requester.pk, target.pk))
    if Meeting.objects.filter(
        event_id=requester.event_id, low_id=low, high_id=high, status=Meeting.Status.DECLINED
    ).exists():
        raise DomainError(EventError.DUPLICATE, _("这次洽谈已被谢绝，不能再次请求。"), status=409)
    existing = MeetingRequest.objects.filter(requester=requester, target=target).first()
    if existing is not None and existing.status == MeetingRequest.Status.ACTIVE:
        raise DomainError(
            EventError.DUPLICATE, _("您已向对方发起过洽谈请求。"), {"request_id": existing.pk}, status=409
        )
    if existing is not None:
        existing.status = MeetingRequest.Status.ACTIVE
        existing.message = message[:300]
        existing.save(update_fields=["status", "message"])
        request = existing
    else:
        request = MeetingRequest.objects.create(
            event_id=requester.event_id, requester=requester, target=target, message=message[:300]
        )
    record(
        "events.meeting.request",
        request,
        acting_user=acting_user,
        changes={"target": [None, target.pk]},
        organisation_id=requester.organisation_id,
    )
    return request


@transaction.atomic
def do_withdraw_meeting_request(request: MeetingRequest, *, acting_user) -> MeetingRequest:
    require(can_act_as_participant(acting_user, request.requester), "events.meeting:request")
    if request.status == MeetingRequest.Status.WITHDRAWN:
        return request
    request.status = MeetingRequest.Status.WITHDRAWN
    request.save(update_fields=["status"])
    record(
        "events.meeting.request_withdraw",
        request,
        acting_user=acting_user,
        organisation_id=request.requester.organisation_id,
    )
    return request


def do_schedule_meetings(event, *, acting_user):
    """Queue the scheduling job (progress on /jobs/<id>/). Re-running keeps published meetings in place."""
    from kechuang.jobs.queue import enqueue

    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    if not event.meeting_slots.exists():
        raise DomainError(ErrorCode.INVALID, _("请先设置洽谈时段和桌数。"))
    with transaction.atomic():
        job = enqueue(
            "events.schedule",
            params={"event_id": event.pk, "user_id": acting_user.pk},
            label=_("安排一对一洽谈：%(title)s") % {"title": event.title[:80]},
            acting_user=acting_user,
        )
        record(
            "events.meeting.schedule_requested",
            event,
            acting_user=acting_user,
            changes={"job": [None, job.pk]},
            organisation_id=event.organiser_id,
        )
    return job


def _replan_later(event, acting_user) -> None:
    """After a late change, queue one re-plan (unless one is already waiting) once the change is committed."""
    from kechuang.jobs.models import Job
    from kechuang.jobs.queue import enqueue

    if not Meeting.objects.filter(event=event).exclude(status=Meeting.Status.CANCELLED).exists():
        return  # nothing was planned yet

    def queue():
        waiting = Job.objects.filter(kind="events.schedule", status=Job.Status.QUEUED)
        if any(job.params.get("event_id") == event.pk for job in waiting):
            return
        enqueue(
            "events.schedule",
            params={"event_id": event.pk, "user_id": None, "replan": True},
            label=_("重新安排一对一洽谈：%(title)s") % {"title": event.title[:80]},
        )

    transaction.on_commit(queue)


def build_problem(event) -> tuple[scheduling.Problem, dict, dict]:
    """The scheduler's input from the database: approved participants, their slots, active requests, and the
    meetings already published (pinned so they stay where they are)."""
    slots = list(event.meeting_slots.order_by("index"))
    slot_pos = {s.pk: i for i, s in enumerate(slots)}
    people = list(
        event.registrations.filter(status=Registration.Status.APPROVED, wants_meetings=True).prefetch_related(
            "unavailable_slots"
        )
    )
    availability = {}
    for reg in people:
        blocked = {slot_pos[s.pk] for s in reg.unavailable_slots.all() if s.pk in slot_pos}
        availability[reg.pk] = frozenset(i for i in range(len(slots)) if i not in blocked)
    declined = set(event.meetings.filter(status=Meeting.Status.DECLINED).values_list("low_id", "high_id"))
    directed = []
    for req in event.meeting_requests.filter(status=MeetingRequest.Status.ACTIVE).order_by(
        "created_at", "id"
    ):
        if req.requester_id in availability and req.target_id in availability:
            pair = tuple(sorted((req.requester_id, req.target_id)))
            if pair not in declined:
                directed.append((req.requester_id, req.target_id, req.pk))
    requests = scheduling.merge_requests(directed)
    pair_of = {r.id: (r.a, r.b) for r in requests}
    id_of_pair = {v: k for k, v in pair_of.items()}
    pinned = {}
    for m in event.meetings.filter(status=Meeting.Status.SCHEDULED).select_related("slot"):
        rid = id_of_pair.get((m.low_id, m.high_id))
        if rid is not None and m.slot_id in slot_pos:
            pinned[rid] = (slot_pos[m.slot_id], m.table)
    problem = scheduling.Problem(
        tables=[s.tables for s in slots], availability=availability, requests=requests, pinned=pinned
    )
    return problem, pair_of, dict(enumerate(slots))


@transaction.atomic
def do_apply_schedule(event, *, acting_user, time_limit: float = 3.0) -> dict:
    """Compute and store the meeting plan. Meetings still valid stay exactly where they were; only what a
    late change affected moves; pairs nobody wants any more are cancelled. All or nothing."""
    if acting_user is not None:
        require(can_manage_event(acting_user, event), EventCap.MANAGE)
    event = _lock_event(event)
    problem, pair_of, slot_at = build_problem(event)
    result = scheduling.schedule(problem, time_limit=time_limit)
    errors = scheduling.check_schedule(problem, result.placements)
    if errors:  # never store an invalid plan
        raise DomainError(ErrorCode.NOT_COMPUTABLE, "; ".join(errors[:5]))
    mutual = {r.id: r.mutual for r in problem.requests}
    existing = {(m.low_id, m.high_id): m for m in event.meetings.exclude(status=Meeting.Status.DECLINED)}
    id_of_pair = {v: k for k, v in pair_of.items()}
    previous = {m.pk: (m.slot_id, m.table) for m in existing.values() if m.status == Meeting.Status.SCHEDULED}
    stats = {"kept": 0, "placed": 0, "moved": 0, "unplaced": 0, "cancelled": 0}
    # 1. free every place that changes, so the database constraints never see two meetings at one table
    changing = [m.pk for pair, m in existing.items() if id_of_pair.get(pair) not in result.kept]
    stats["kept"] = len(existing) - len(changing)
    Meeting.objects.filter(pk__in=changing, status=Meeting.Status.SCHEDULED).update(
        slot=None, table=None, status=Meeting.Status.UNPLACED
    )
    for m in existing.values():  # what the database holds now
        if m.pk in changing and m.status == Meeting.Status.SCHEDULED:
            m.status, m.slot_id, m.table = Meeting.Status.UNPLACED, None, None
    # 2. write the new places (only rows that change)
    gone = [
        m.pk
        for pair, m in existing.items()
        if pair not in id_of_pair and m.status != Meeting.Status.CANCELLED
    ]
    stats["cancelled"] = Meeting.objects.filter(pk__in=gone).update(status=Meeting.Status.CANCELLED)
    fields = ("status", "slot_id", "table", "mutual", "low_response", "high_response")
    to_create, to_update, kept_mutual = [], [], {True: [], False: []}
    for rid, (low, high) in pair_of.items():
        if rid in result.kept:
            kept_mutual[mutual[rid]].append(existing[(low, high)].pk)
            continue
        m = existing.get((low, high)) or Meeting(event=event, low_id=low, high_id=high)
        was = previous.get(m.pk)  # (slot, table) it had before this plan, if it was scheduled
        before = tuple(getattr(m, f) for f in fields)
        place = result.placements.get(rid)
        m.mutual = mutual[rid]
        if place is None:
            m.status, m.slot, m.table = Meeting.Status.UNPLACED, None, None
            stats["unplaced"] += 1
        else:
            m.status, m.slot, m.table = Meeting.Status.SCHEDULED, slot_at[place[0]], place[1]
            if was != (m.slot_id, m.table):  # a new time: both confirm again
                m.low_response = m.high_response = Meeting.Response.PENDING
            stats["moved" if was else "placed"] += 1
        if not m.pk:
            to_create.append(m)
        elif tuple(getattr(m, f) for f in fields) != before:
            to_update.append(m)
    for flag, pks in kept_mutual.items():
        Meeting.objects.filter(pk__in=pks).exclude(mutual=flag).update(mutual=flag)
    Meeting.objects.bulk_update(
        to_update, ["status", "slot", "table", "mutual", "low_response", "high_response"], batch_size=500
    )
    Meeting.objects.bulk_create(to_create, batch_size=500)
    stats.update(
        requests=len(problem.requests),
        mutual=sum(mutual.values()),
        mutual_placed=sum(1 for rid in result.placements if mutual[rid]),
        seconds=round(result.seconds, 3),
    )
    record(
        "events.meeting.schedule",
        event,
        acting_user=acting_user,
        changes={"plan": [None, stats]},
        organisation_id=event.organiser_id,
    )
    return stats


@transaction.atomic
def do_respond_meeting(meeting: Meeting, *, accept: bool, acting_user) -> Meeting:
    """A party accepts or declines. A declined meeting frees its table; the plan is redone around it."""
    meeting = Meeting.objects.select_for_update().select_related("low", "high", "event").get(pk=meeting.pk)
    mine = next((r for r in (meeting.low, meeting.high) if can_act_as_participant(acting_user, r)), None)
    require(mine is not None, "events.meeting:respond")
    if meeting.status != Meeting.Status.SCHEDULED:
        raise DomainError(
            ErrorCode.INVALID_STATE,
            _("该洽谈当前状态为“%(status)s”，不能再确认或谢绝。") % {"status": meeting.get_status_display()},
            status=409,
        )
    response = Meeting.Response.ACCEPTED if accept else Meeting.Response.DECLINED
    field = "low_response" if mine.pk == meeting.low_id else "high_response"
    before = getattr(meeting, field)
    setattr(meeting, field, response)
    fields = [field, "updated_at"]
    if not accept:
        meeting.status, meeting.slot, meeting.table = Meeting.Status.DECLINED, None, None
        fields += ["status", "slot", "table"]
    meeting.save(update_fields=fields)
    record(
        "events.meeting.respond",
        meeting,
        acting_user=acting_user,
        changes={field: [before, response]},
        organisation_id=mine.organisation_id,
    )
    if not accept:
        _replan_later(meeting.event, acting_user)
    return meeting


def agenda(registration) -> list[Meeting]:
    return list(
        Meeting.objects.filter(Q(low=registration) | Q(high=registration), event_id=registration.event_id)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("slot", "low__user", "low__organisation", "high__user", "high__organisation")
        .order_by(F("slot__index").asc(nulls_last=True), "id")
    )


def explain_unplaced(registration, meetings) -> dict[int, str]:
    """Why each unplaced meeting of this agenda has no place: no common free slot, or tables full."""
    unplaced = [m for m in meetings if m.status == Meeting.Status.UNPLACED]
    if not unplaced:
        return {}
    slots = {s.pk: s for s in MeetingSlot.objects.filter(event_id=registration.event_id)}
    people = {m.low_id for m in unplaced} | {m.high_id for m in unplaced}
    blocked = {}
    for reg_id, slot_id in Registration.unavailable_slots.through.objects.filter(
        registration_id__in=people
    ).values_list("registration_id", "meetingslot_id"):
        blocked.setdefault(reg_id, set()).add(slot_id)
    busy = {}
    for low, high, slot_id in (
        Meeting.objects.filter(event_id=registration.event_id, status=Meeting.Status.SCHEDULED)
        .filter(Q(low_id__in=people) | Q(high_id__in=people))
        .values_list("low_id", "high_id", "slot_id")
    ):
        busy.setdefault(low, set()).add(slot_id)
        busy.setdefault(high, set()).add(slot_id)
    reasons = {}
    for m in unplaced:
        common = set(slots) - blocked.get(m.low_id, set()) - blocked.get(m.high_id, set())
        if not common:
            reasons[m.pk] = _("双方没有共同可参加的洽谈时段。")
        elif not common - busy.get(m.low_id, set()) - busy.get(m.high_id, set()):
            reasons[m.pk] = _("共同可参加的时段里双方已有其他洽谈。")
        else:
            reasons[m.pk] = _("共同空闲时段的桌位已排满；如有人退出或谢绝，会自动补排。")
    return reasons


# --- roadshows ---------------------------------------------------------------------------------------------


@transaction.atomic
def do_open_roadshow_call(
    event, *, acting_user, title: str, closes_at, minutes_per_project: int = 10, description: str = ""
) -> RoadshowCall:
    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    if not 3 <= minutes_per_project <= 120:
        raise DomainError(ErrorCode.INVALID, _("每个项目路演时长应为 3–120 分钟。"))
    call = RoadshowCall.objects.create(
        event=event,
        title=title,
        description=description,
        closes_at=aware(closes_at, event.tzinfo),
        minutes_per_project=minutes_per_project,
    )
    record(
        "events.roadshow.open",
        event,
        acting_user=acting_user,
        changes={"call": [None, title]},
        organisation_id=event.organiser_id,
    )
    return call


@transaction.atomic
def do_apply_roadshow(
    call, *, acting_user, title: str, summary: str = "", techmarket_listing_id=None, financing_need_id=None
) -> RoadshowApplication:
    require(can_apply_roadshow(acting_user, call), EventCap.ROADSHOW_APPLY)
    if call.status != RoadshowCall.Status.OPEN or call.closes_at <= timezone.now():
        raise DomainError(EventError.CLOSED, _("路演项目征集已截止。"), status=409)
    if not title.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称。"), {"field": "title"})
    for name, value in (
        ("techmarket_listing_id", techmarket_listing_id),
        ("financing_need_id", financing_need_id),
    ):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise DomainError(ErrorCode.INVALID, _("关联编号必须是正整数。"), {"field": name})
    if RoadshowApplication.objects.filter(
        call=call, organisation_id=acting_user.organisation_id, title=title.strip()
    ).exists():
        raise DomainError(EventError.DUPLICATE, _("本单位已申报过同名项目。"), status=409)
    application = RoadshowApplication.objects.create(
        call=call,
        organisation_id=acting_user.organisation_id,
        applicant=acting_user,
        title=title.strip(),
        summary=summary,
        techmarket_listing_id=techmarket_listing_id,
        financing_need_id=financing_need_id,
    )
    record(
        "events.roadshow.apply",
        application,
        acting_user=acting_user,
        changes={"title": [None, application.title]},
    )
    return application


@transaction.atomic
def do_review_application(application, *, acting_user, score: int, note: str = "") -> RoadshowApplication:
    """A panel member scores a project (again, if they change their mind). Nobody scores their own organisation's
    project. The application's score becomes the mean of the panel's scores."""
    require(can_select_roadshow(acting_user, application.call.event), EventCap.ROADSHOW_PANEL)
    application = RoadshowApplication.objects.select_for_update().get(pk=application.pk)
    if acting_user.organisation_id and acting_user.organisation_id == application.organisation_id:
        raise DomainError(EventError.CONFLICT_OF_INTEREST, _("评审人不能为本单位的项目打分。"), status=409)
    if application.status == RoadshowApplication.Status.WITHDRAWN:
        raise DomainError(ErrorCode.INVALID_STATE, _("申报已撤回。"), status=409)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise DomainError(ErrorCode.INVALID, _("评分应在 0–100 之间。"), {"field": "score"})
    review, _created = PanelReview.objects.update_or_create(
        application=application, reviewer=acting_user, defaults={"score": score, "note": note[:300]}
    )
    scores = list(application.reviews.values_list("score", flat=True))
    before = application.panel_score
    application.panel_score = round(sum(scores) / len(scores))  # 0–100 scores, not money: rounding is fine
    application.save(update_fields=["panel_score"])
    record(
        "events.roadshow.review",
        application,
        acting_user=acting_user,
        changes={"score": [None, score], "panel_score": [before, application.panel_score]},
    )
    return application


@transaction.atomic
def do_select_application(
    application, *, selected: bool, acting_user, score: int | None = None, note: str = ""
) -> RoadshowApplication:
    """The panel's decision (optionally with the deciding member's own score)."""
    require(can_select_roadshow(acting_user, application.call.event), EventCap.ROADSHOW_PANEL)
    if score is not None:
        do_review_application(application, acting_user=acting_user, score=score, note=note)
    application = RoadshowApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == RoadshowApplication.Status.WITHDRAWN:
        raise DomainError(ErrorCode.INVALID_STATE, _("申报已撤回。"), status=409)
    if acting_user.organisation_id and acting_user.organisation_id == application.organisation_id:
        raise DomainError(EventError.CONFLICT_OF_INTEREST, _("评审人不能决定本单位的项目。"), status=409)
    before = snapshot(application, ("status", "panel_score"))
    application.status = (
        RoadshowApplication.Status.SELECTED if selected else RoadshowApplication.Status.REJECTED
    )
    if note:
        application.panel_note = note[:300]
    if not selected:
        application.session, application.starts_at, application.ends_at = None, None, None
    application.save()
    record(
        "events.roadshow.select",
        application,
        acting_user=acting_user,
        changes=diff(before, snapshot(application, ("status", "panel_score"))),
    )
    return application


@transaction.atomic
def do_schedule_roadshow(call, session, *, acting_user) -> list[RoadshowApplication]:
    """Selected projects, best score first, get consecutive slots in the session; all must fit."""
    require(can_manage_event(acting_user, call.event), EventCap.MANAGE)
    if session.event_id != call.event_id:
        raise DomainError(ErrorCode.INVALID, _("场次不属于该活动。"))
    selected = list(
        call.applications.select_for_update()
        .filter(status=RoadshowApplication.Status.SELECTED)
        .order_by("-panel_score", "created_at", "id")
    )
    length = dt.timedelta(minutes=call.minutes_per_project)
    fits = int((session.ends_at - session.starts_at) / length)
    if len(selected) > fits:
        raise DomainError(
            ErrorCode.INVALID,
            _("场次“%(session)s”只能安排 %(fits)d 个项目，已入选 %(n)d 个。")
            % {"session": session.title, "fits": fits, "n": len(selected)},
        )
    for i, application in enumerate(selected):
        application.session = session
        application.starts_at = session.starts_at + length * i
        application.ends_at = application.starts_at + length
        application.save(update_fields=["session", "starts_at", "ends_at"])
    record(
        "events.roadshow.schedule",
        call.event,
        acting_user=acting_user,
        changes={"roadshow": [None, {"session": session.pk, "projects": len(selected)}]},
        organisation_id=call.event.organiser_id,
    )
    return selected


# --- outcomes and statistics -------------------------------------------------------------------------------


@transaction.atomic
def do_record_outcome(
    event,
    *,
    acting_user,
    kind: str,
    deal_type: str,
    title: str,
    parties,
    amount_fen: int = 0,
    meeting: Meeting | None = None,
    application: RoadshowApplication | None = None,
    signed_on=None,
) -> Outcome:
    require(can_record_outcome(acting_user, event, meeting), "events.outcome:record")
    if not can_manage_event(acting_user, event) and kind != Outcome.Kind.INTENTION:
        raise PermissionDenied("events.outcome:record_signing")
    if kind not in Outcome.Kind.values or deal_type not in DealType.values:
        raise DomainError(ErrorCode.INVALID, _("未知的成果类别或合作方式。"))
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or not 0 <= amount_fen <= MAX_FEN:
        raise DomainError(
            ErrorCode.INVALID, _("金额必须是不小于零的整数（单位：分）。"), {"field": "amount_fen"}
        )
    if (
        meeting is not None
        and meeting.event_id != event.pk
        or application is not None
        and application.call.event_id != event.pk
    ):
        raise DomainError(ErrorCode.INVALID, _("洽谈或路演项目不属于该活动。"))
    parties = list(parties)
    if not parties:
        raise DomainError(ErrorCode.INVALID, _("请至少填写一个参与方。"), {"field": "parties"})
    if not may_name_outcome_parties(acting_user, event, meeting, [getattr(p, "pk", p) for p in parties]):
        raise DomainError(
            ErrorCode.INVALID,
            _("洽谈双方只能为本单位记录意向，参与方只能是本次洽谈的双方单位。"),
            {"field": "parties"},
            status=403,
        )
    if not title.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称。"), {"field": "title"})
    if not can_manage_event(acting_user, event):
        Meeting.objects.select_for_update().get(pk=meeting.pk)  # two parties recording at once: one wins
        if Outcome.objects.filter(meeting=meeting, kind=Outcome.Kind.INTENTION).exists():
            raise StateError(_("本次洽谈的合作意向已经记录过。"))
    outcome = Outcome.objects.create(
        event=event,
        meeting=meeting,
        application=application,
        kind=kind,
        deal_type=deal_type,
        title=title.strip(),
        amount_fen=amount_fen,
        signed_on=signed_on,
        recorded_by=acting_user,
    )
    outcome.parties.set(parties)
    record(
        "events.outcome.record",
        outcome,
        acting_user=acting_user,
        changes={
            "kind": [None, kind],
            "amount_fen": [None, amount_fen],
            "parties": [None, [getattr(p, "pk", p) for p in parties]],
        },
        organisation_id=event.organiser_id,
    )
    return outcome


@transaction.atomic
def do_link_outcome(outcome: Outcome, follow_up_ref: str, *, acting_user) -> Outcome:
    """Where a signing continues: the technology market's contract or the financing module's loan ("app:kind:id").
    Those modules call this; the events app does not import their models."""
    require(can_manage_event(acting_user, outcome.event), EventCap.MANAGE)
    parts = follow_up_ref.split(":")
    if len(parts) != 3 or not parts[2].isdigit() or parts[0] not in ("techmarket", "pledge", "policy"):
        raise DomainError(
            ErrorCode.INVALID, _("后续记录格式应为“模块:类型:编号”，如 techmarket:contract:12。")
        )
    before = outcome.follow_up_ref
    outcome.follow_up_ref = follow_up_ref
    outcome.save(update_fields=["follow_up_ref"])
    record(
        "events.outcome.link",
        outcome,
        acting_user=acting_user,
        changes={"follow_up_ref": [before, follow_up_ref]},
        organisation_id=outcome.event.organiser_id,
    )
    return outcome


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
