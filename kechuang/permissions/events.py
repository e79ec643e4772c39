"""Who may do what with matchmaking events.

Officials (reviewer, admin) organise events; a city official only those of their city (or with no city,
i.e. abroad, which only region-wide officials manage). Every official sees statistics. Enterprise and
institution users register, request meetings, apply to roadshows. A roadshow panel is officials and experts.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap


class EventCap:
    MANAGE = "events.event:manage"
    STATS = "events.stats:view"
    REGISTER = "events.registration:create"
    ROADSHOW_APPLY = "events.roadshow:apply"
    ROADSHOW_PANEL = "events.roadshow:select"


PARTICIPANT_ROLES = (Role.MEMBER, Role.ORG_ADMIN, Role.EXPERT)

grant([EventCap.MANAGE], (Role.REVIEWER, Role.ADMIN))
grant([EventCap.STATS], ALL_OFFICIALS)
grant([EventCap.REGISTER], PARTICIPANT_ROLES)
grant([EventCap.ROADSHOW_APPLY], (Role.MEMBER, Role.ORG_ADMIN))
grant([EventCap.ROADSHOW_PANEL], (Role.REVIEWER, Role.ADMIN, Role.EXPERT))


def _in_scope(user, event) -> bool:
    """A city official acts only on events in their city."""
    return not user.city_id or event.city_id == user.city_id


def can_manage_event(user, event) -> bool:
    return has_cap(user, EventCap.MANAGE) and _in_scope(user, event)


def can_view_event(user, event) -> bool:
    """Published events are public pages; drafts only for those who manage them."""
    if event.status != event.Status.DRAFT:
        return True
    return bool(user and user.is_authenticated) and can_manage_event(user, event)


def can_view_stats(user, event) -> bool:
    return has_cap(user, EventCap.STATS) and _in_scope(user, event)


def can_register(user, event) -> bool:
    return has_cap(user, EventCap.REGISTER) and event.status == event.Status.PUBLISHED


def can_act_as_participant(user, registration) -> bool:
    """Requests, agenda, badge: only the registered person themself."""
    return bool(user and user.is_authenticated and user.is_active and registration.user_id == user.pk)


def can_apply_roadshow(user, call) -> bool:
    return has_cap(user, EventCap.ROADSHOW_APPLY) and user.organisation_id is not None


def can_view_application(user, application) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.organisation_id == application.organisation_id:
        return True
    return can_select_roadshow(user, application.call.event)


def can_select_roadshow(user, event) -> bool:
    return has_cap(user, EventCap.ROADSHOW_PANEL) and (user.role == Role.EXPERT or _in_scope(user, event))


def can_record_outcome(user, event, meeting=None) -> bool:
    """Organisers record any outcome; the two parties of a meeting may record an intention from it."""
    if can_manage_event(user, event):
        return True
    if meeting is None or not (user and user.is_authenticated):
        return False
    return user.pk in (meeting.low.user_id, meeting.high.user_id)


def may_name_outcome_parties(user, event, meeting, party_ids) -> bool:
    """Organisers name any organisations; a meeting's party records for itself: its own organisation and, at most,
    the other side of that meeting."""
    if can_manage_event(user, event):
        return True
    if meeting is None or user.organisation_id is None:
        return False
    sides = {meeting.low.organisation_id, meeting.high.organisation_id} - {None}
    ids = set(party_ids)
    return user.organisation_id in ids and ids <= sides


def access_event_by_id(user, event_id, *, manage: bool = False):
    """Fetch and authorise; "not found" when missing or not visible, 403 only for a visible event one may not manage."""
    from django.core.exceptions import PermissionDenied

    from kechuang.events.models import Event

    try:
        event = Event.objects.select_related("organiser", "city").get(pk=event_id)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not can_view_event(user, event):
        raise Http404
    if manage and not can_manage_event(user, event):
        raise PermissionDenied(EventCap.MANAGE)
    return event


def access_registration_by_id(user, registration_id):
    """The caller's own registration, or (for organisers) any registration of their events."""
    from kechuang.events.models import Registration

    try:
        registration = Registration.objects.select_related("event", "user", "organisation").get(
            pk=registration_id
        )
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise Http404
    if can_act_as_participant(user, registration) or can_manage_event(user, registration.event):
        return registration
    raise Http404
