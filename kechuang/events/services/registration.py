"""Registration, the waitlist, badges, check-in and availability."""

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.events.errors import EventError
from kechuang.events.models import Event, Meeting, MeetingRequest, MeetingSlot, Registration
from kechuang.events.services.common import BADGE_SALT, check_timezone, lock_event
from kechuang.events.services.meetings import replan_later
from kechuang.events.states import REGISTRATION
from kechuang.permissions import require
from kechuang.permissions.events import EventCap, can_act_as_participant, can_manage_event, can_register


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
    event = lock_event(event)  # quota decisions are serialised per event
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
    event = lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    action = "approve" if approve else "refuse"
    REGISTRATION.check(registration, action)
    if approve:
        left = _seats_left(event)
        if left is not None and left <= 0:
            raise _full_error(event)
    before, _after = REGISTRATION.apply(registration, action)
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
    event = lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.WITHDRAWN:
        return registration
    before, _after = REGISTRATION.apply(registration, "withdraw")
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
        replan_later(event, acting_user)
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
        Registration.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=data.get("r"), event=event)
        .first()
    )
    if registration is None:
        raise DomainError(EventError.BAD_BADGE, _("签到码无效：找不到对应的报名。"))
    REGISTRATION.check(registration, "check_in")
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
            replan_later(registration.event, acting_user)
    return registration
