"""One-to-one meeting requests, the scheduling job and its stored plan, agendas."""

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.events import scheduling
from kechuang.events.errors import EventError
from kechuang.events.models import Meeting, MeetingRequest, MeetingSlot, Registration
from kechuang.events.services.common import lock_event
from kechuang.events.states import MEETING
from kechuang.permissions import require
from kechuang.permissions.events import EventCap, can_act_as_participant, can_manage_event


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


def replan_later(event, acting_user) -> None:
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
    event = lock_event(event)
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
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("low", "high", "event")
        .get(pk=meeting.pk)
    )
    mine = next((r for r in (meeting.low, meeting.high) if can_act_as_participant(acting_user, r)), None)
    require(mine is not None, "events.meeting:respond")
    MEETING.check(meeting, "accept" if accept else "decline")
    response = Meeting.Response.ACCEPTED if accept else Meeting.Response.DECLINED
    field = "low_response" if mine.pk == meeting.low_id else "high_response"
    before = getattr(meeting, field)
    setattr(meeting, field, response)
    fields = [field, "updated_at"]
    if not accept:
        MEETING.apply(meeting, "decline")
        meeting.slot, meeting.table = None, None
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
        replan_later(meeting.event, acting_user)
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
