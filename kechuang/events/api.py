"""Events API: the same services as the pages. Times are ISO 8601 with offset, in ?tz= (default: the event's zone)."""

import datetime as dt
import zoneinfo
from typing import Annotated

from annotated_types import MaxLen
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kechuang.bounds import Code, Date, DateTime, Fen, Id, IdList, Name, Search
from kechuang.errors import DomainError
from kechuang.events import services
from kechuang.events.models import Event, Meeting, Registration, RoadshowApplication, valid_timezone
from kechuang.events.stats import event_statistics
from kechuang.permissions.events import access_event_by_id, can_view_event, can_view_stats

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    kind: str
    status: str
    title: str
    description: str
    language: str
    timezone: str
    starts_at: str
    ends_at: str
    venue: str
    online_url: str
    languages: list[str]
    quota: int | None


class ProgrammeItem(Schema):
    kind: str
    title: str
    room: str
    starts_at: str
    ends_at: str
    organisation: str = ""


class RegistrationIn(Schema):
    timezone: Code = ""
    note: Annotated[str, MaxLen(300)] = ""
    wants_meetings: bool = True


class RegistrationOut(Schema):
    id: int
    event_id: int
    status: str
    timezone: str
    badge_code: str = ""


class MeetingRequestIn(Schema):
    target_registration_id: Id
    message: Annotated[str, MaxLen(300)] = ""


class MeetingRequestOut(Schema):
    id: int
    requester_id: int
    target_id: int
    status: str


class AgendaItem(Schema):
    meeting_id: int
    status: str
    mutual: bool
    starts_at: str | None
    ends_at: str | None
    table: int | None
    with_registration_id: int
    with_name: str
    with_organisation: str
    my_response: str
    their_response: str


class RespondIn(Schema):
    accept: bool


class SessionIn(Schema):
    title: Name
    room: Annotated[str, MaxLen(100)]
    starts_at: DateTime
    ends_at: DateTime
    kind: Code = "talk"


class CheckInIn(Schema):
    token: Search


class JobRef(Schema):
    job_id: int
    status_url: str


def zone(tz: str, event) -> zoneinfo.ZoneInfo:
    if not tz:
        return event.tzinfo
    if not valid_timezone(tz):
        raise DomainError(
            services.EventError.BAD_TIMEZONE,
            _("未知的时区“%(tz)s”，请使用 IANA 时区名，如 Asia/Shanghai、Asia/Jakarta。") % {"tz": tz},
        )
    return zoneinfo.ZoneInfo(tz)


def iso(value, tz) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def event_out(event, tz, language=None) -> dict:
    text = event.translation(language)
    return {
        "id": event.pk,
        "kind": event.kind,
        "status": event.status,
        "title": text.title,
        "description": text.description,
        "language": text.language,
        "timezone": tz.key,
        "starts_at": iso(event.starts_at, tz),
        "ends_at": iso(event.ends_at, tz),
        "venue": event.venue,
        "online_url": event.online_url,
        "languages": event.languages,
        "quota": event.quota,
    }


@router.get("/events", response=list[EventOut], auth=None, summary="Published events (public)")
def list_events(request, tz: Code = "", lang: Code = ""):
    events = Event.objects.exclude(status=Event.Status.DRAFT).prefetch_related("translations")[:500]
    return [
        event_out(e, zone(tz, e), lang or get_language()) for e in events if can_view_event(request.user, e)
    ]


@router.get(
    "/events/{event_id}",
    response=EventOut,
    auth=None,
    summary="One event in ?lang= (falls back to the original), times in ?tz=",
)
def get_event(request, event_id: Id, tz: Code = "", lang: Code = ""):
    event = access_event_by_id(request.user, event_id)
    return event_out(event, zone(tz, event), lang or get_language())


@router.get(
    "/events/{event_id}/programme",
    response=list[ProgrammeItem],
    auth=None,
    summary="Public programme: sessions and roadshow slots",
)
def programme(request, event_id: Id, tz: Code = ""):
    event = access_event_by_id(request.user, event_id)
    z = zone(tz, event)
    items = [
        {
            "kind": s.kind,
            "title": s.title,
            "room": s.room,
            "starts_at": iso(s.starts_at, z),
            "ends_at": iso(s.ends_at, z),
        }
        for s in event.sessions.all()
    ]
    for a in RoadshowApplication.objects.filter(
        call__event=event, status=RoadshowApplication.Status.SELECTED, starts_at__isnull=False
    ).select_related("session", "organisation"):
        items.append(
            {
                "kind": "roadshow_project",
                "title": a.title,
                "room": a.session.room if a.session else "",
                "starts_at": iso(a.starts_at, z),
                "ends_at": iso(a.ends_at, z),
                "organisation": a.organisation.name,
            }
        )
    return sorted(items, key=lambda i: i["starts_at"])


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut})
def post_registration(request, event_id: Id, payload: RegistrationIn):
    event = access_event_by_id(request.auth, event_id)
    reg = services.do_register(
        event,
        acting_user=request.auth,
        timezone_name=payload.timezone,
        note=payload.note,
        wants_meetings=payload.wants_meetings,
    )
    return Status(
        201,
        {
            "id": reg.pk,
            "event_id": event.pk,
            "status": reg.status,
            "timezone": reg.timezone,
            "badge_code": services.badge_token(reg) if reg.status == Registration.Status.APPROVED else "",
        },
    )


@router.get(
    "/events/{event_id}/registration",
    response=RegistrationOut,
    summary="The caller's registration and badge code",
)
def my_registration(request, event_id: Id):
    event = access_event_by_id(request.auth, event_id)
    reg = get_object_or_404(Registration, event=event, user=request.auth)
    return {
        "id": reg.pk,
        "event_id": event.pk,
        "status": reg.status,
        "timezone": reg.timezone,
        "badge_code": services.badge_token(reg) if reg.status == Registration.Status.APPROVED else "",
    }


@router.post("/events/{event_id}/registration/withdraw", response=RegistrationOut)
def withdraw(request, event_id: Id):
    event = access_event_by_id(request.auth, event_id)
    reg = get_object_or_404(Registration, event=event, user=request.auth)
    reg = services.do_withdraw_registration(reg, acting_user=request.auth)
    return {"id": reg.pk, "event_id": event.pk, "status": reg.status, "timezone": reg.timezone}


@router.post("/events/{event_id}/meeting-requests", response={201: MeetingRequestOut})
def post_meeting_request(request, event_id: Id, payload: MeetingRequestIn):
    event = access_event_by_id(request.auth, event_id)
    mine = get_object_or_404(Registration, event=event, user=request.auth)
    target = get_object_or_404(Registration, event=event, pk=payload.target_registration_id)
    req = services.do_request_meeting(mine, target, acting_user=request.auth, message=payload.message)
    return Status(
        201,
        {"id": req.pk, "requester_id": req.requester_id, "target_id": req.target_id, "status": req.status},
    )


@router.get(
    "/events/{event_id}/agenda",
    response=list[AgendaItem],
    summary="The caller's meetings, times in their zone (or ?tz=)",
)
def get_agenda(request, event_id: Id, tz: Code = ""):
    event = access_event_by_id(request.auth, event_id)
    mine = get_object_or_404(Registration, event=event, user=request.auth)
    z = zone(tz, event) if tz else mine.tzinfo
    out = []
    for m in services.agenda(mine):
        other = m.other(mine)
        out.append(
            {
                "meeting_id": m.pk,
                "status": m.status,
                "mutual": m.mutual,
                "starts_at": iso(m.slot.starts_at, z) if m.slot_id else None,
                "ends_at": iso(m.slot.ends_at, z) if m.slot_id else None,
                "table": m.table + 1 if m.table is not None else None,
                "with_registration_id": other.pk,
                "with_name": str(other.user),
                "with_organisation": other.organisation.name if other.organisation_id else "",
                "my_response": m.response_of(mine),
                "their_response": m.response_of(other),
            }
        )
    return out


@router.post("/meetings/{meeting_id}/respond", response=AgendaItem)
def respond(request, meeting_id: Id, payload: RespondIn):
    meeting = get_object_or_404(Meeting.objects.select_related("low__user", "high__user"), pk=meeting_id)
    if request.auth.pk not in (meeting.low.user_id, meeting.high.user_id):
        raise Http404  # nothing leaks about other people's meetings
    meeting = services.do_respond_meeting(meeting, accept=payload.accept, acting_user=request.auth)
    mine = meeting.low if meeting.low.user_id == request.auth.pk else meeting.high
    other = meeting.other(mine)
    return {
        "meeting_id": meeting.pk,
        "status": meeting.status,
        "mutual": meeting.mutual,
        "starts_at": iso(meeting.slot.starts_at, mine.tzinfo) if meeting.slot_id else None,
        "ends_at": iso(meeting.slot.ends_at, mine.tzinfo) if meeting.slot_id else None,
        "table": meeting.table + 1 if meeting.table is not None else None,
        "with_registration_id": other.pk,
        "with_name": str(other.user),
        "with_organisation": other.organisation.name if other.organisation_id else "",
        "my_response": meeting.response_of(mine),
        "their_response": meeting.response_of(other),
    }


@router.post(
    "/events/{event_id}/schedule", response={202: JobRef}, summary="Queue the meeting scheduler (organisers)"
)
def post_schedule(request, event_id: Id):
    event = access_event_by_id(request.auth, event_id, manage=True)
    job = services.do_schedule_meetings(event, acting_user=request.auth)
    return Status(202, {"job_id": job.pk, "status_url": reverse("api:get_job", args=[job.pk])})


@router.post(
    "/events/{event_id}/sessions",
    response={201: ProgrammeItem},
    summary="Add a session; times without offset are in the event's zone",
)
def post_session(request, event_id: Id, payload: SessionIn):
    event = access_event_by_id(request.auth, event_id, manage=True)
    s = services.do_add_session(
        event,
        acting_user=request.auth,
        title=payload.title,
        room=payload.room,
        kind=payload.kind,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )
    return Status(
        201,
        {
            "kind": s.kind,
            "title": s.title,
            "room": s.room,
            "starts_at": iso(s.starts_at, event.tzinfo),
            "ends_at": iso(s.ends_at, event.tzinfo),
        },
    )


@router.post(
    "/events/{event_id}/check-in",
    response=RegistrationOut,
    summary="Check a badge in at the door (organisers)",
)
def post_check_in(request, event_id: Id, payload: CheckInIn):
    event = access_event_by_id(request.auth, event_id, manage=True)
    reg = services.do_check_in(event, payload.token, acting_user=request.auth)
    return {"id": reg.pk, "event_id": event.pk, "status": reg.status, "timezone": reg.timezone}


@router.get(
    "/events/{event_id}/statistics",
    summary="Registrations, attendance, meetings held, projects matched, signings (officials)",
)
def get_statistics(request, event_id: Id):
    event = access_event_by_id(request.auth, event_id)
    if not can_view_stats(request.auth, event):
        raise Http404
    return event_statistics(event)


class OutcomeIn(Schema):
    kind: Code
    deal_type: Code
    title: Name
    party_ids: IdList
    amount_fen: Fen = 0
    meeting_id: Id | None = None
    application_id: Id | None = None
    signed_on: Date | None = None


class OutcomeOut(Schema):
    id: int
    event_id: int
    kind: str
    deal_type: str
    title: str
    party_ids: list[int]
    amount_fen: int
    meeting_id: int | None
    application_id: int | None
    signed_on: dt.date | None
    follow_up_ref: str


class LinkIn(Schema):
    follow_up_ref: Annotated[str, MaxLen(100)]


def outcome_out(o) -> dict:
    return {
        "id": o.pk,
        "event_id": o.event_id,
        "kind": o.kind,
        "deal_type": o.deal_type,
        "title": o.title,
        "party_ids": [p.pk for p in o.parties.all()],
        "amount_fen": o.amount_fen,
        "meeting_id": o.meeting_id,
        "application_id": o.application_id,
        "signed_on": o.signed_on,
        "follow_up_ref": o.follow_up_ref,
    }


@router.get(
    "/events/{event_id}/outcomes",
    response=list[OutcomeOut],
    summary="Intentions and signings of an event (officials), for the market's pipeline and the financing module",
)
def list_outcomes(request, event_id: Id):
    event = access_event_by_id(request.auth, event_id)
    if not can_view_stats(request.auth, event):
        raise Http404
    return [outcome_out(o) for o in event.outcomes.prefetch_related("parties")]


@router.post(
    "/events/{event_id}/outcomes",
    response={201: OutcomeOut},
    summary="Record an intention (meeting parties) or a signing (organisers); amounts in fen",
)
def post_outcome(request, event_id: Id, payload: OutcomeIn):
    from kechuang.registry.models import Organisation

    event = access_event_by_id(request.auth, event_id)
    meeting = get_object_or_404(Meeting, pk=payload.meeting_id, event=event) if payload.meeting_id else None
    application = (
        get_object_or_404(RoadshowApplication, pk=payload.application_id, call__event=event)
        if payload.application_id
        else None
    )
    parties = list(Organisation.objects.filter(pk__in=payload.party_ids))
    if len(parties) != len(set(payload.party_ids)):
        raise DomainError(services.ErrorCode.INVALID, _("有参与方机构编号不存在。"))
    outcome = services.do_record_outcome(
        event,
        acting_user=request.auth,
        kind=payload.kind,
        deal_type=payload.deal_type,
        title=payload.title,
        parties=parties,
        amount_fen=payload.amount_fen,
        meeting=meeting,
        application=application,
        signed_on=payload.signed_on,
    )
    return Status(201, outcome_out(outcome))


@router.post(
    "/outcomes/{outcome_id}/link",
    response=OutcomeOut,
    summary="Link a signing to where it continues (techmarket:contract:ID, pledge:loan:ID)",
)
def link_outcome(request, outcome_id: Id, payload: LinkIn):
    from kechuang.events.models import Outcome

    outcome = get_object_or_404(Outcome.objects.select_related("event"), pk=outcome_id)
    if not can_view_stats(request.auth, outcome.event):
        raise Http404
    return outcome_out(services.do_link_outcome(outcome, payload.follow_up_ref, acting_user=request.auth))
