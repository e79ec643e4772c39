"""Authorisation rules of matchmaking events. The world: a published event in 南宁 organised by the 科技厅, with
甲 and 乙 registered (approved), a meeting request and a meeting between them, a roadshow call with 甲's
application, and an outcome recorded by the organisers. See docs/permissions.md."""

from kechuang.permissions.matrix import (
    ADMIN,
    ASEAN,
    ENT_A,
    ENT_B,
    EVERYONE,
    EXPERT,
    NANNING_AREA,
    OFFICIALS,
    ORG_USERS,
    PUBLIC,
    REVIEWERS,
    SIGNED_IN,
    allow,
)

# events.event:manage (reviewers, administrators), a city official only for its city's events
MANAGERS = (REVIEWERS | {ADMIN}) & NANNING_AREA
STATS = NANNING_AREA  # events.stats:view, scoped like management
PARTICIPANTS = ORG_USERS | {EXPERT, ASEAN}  # events.registration:create
REGISTERED = frozenset({ENT_A, ENT_B})
PANEL = MANAGERS | {EXPERT}  # events.roadshow:select

ROUTES = {
    "events:home": PUBLIC,
    "events:create": allow(REVIEWERS, ADMIN),
    "events:report": allow(OFFICIALS),
    "events:report_export": allow(OFFICIALS),
    "events:detail": PUBLIC,
    "events:register": allow(PARTICIPANTS),
    "events:withdraw": allow(REGISTERED),
    "events:badge": allow(REGISTERED),
    "events:participants": allow(REGISTERED),
    "events:request_meeting": allow(REGISTERED, args={"target_id": "registration_b"}),
    "events:withdraw_request": allow(ENT_A, args={"target_id": "registration_b"}),
    "events:availability": allow(REGISTERED),
    "events:agenda": allow(REGISTERED),
    "events:agenda_ics": allow(REGISTERED),
    "events:respond": allow(REGISTERED),
    "events:manage": allow(MANAGERS),
    "events:edit": allow(MANAGERS),
    "events:add_session": allow(MANAGERS),
    "events:add_slots": allow(MANAGERS),
    "events:open_call": allow(MANAGERS),
    "events:add_outcome": allow(MANAGERS),
    "events:set_translation": allow(MANAGERS),
    "events:decide": allow(MANAGERS, args={"registration_id": "registration_b"}),
    "events:schedule": allow(MANAGERS),
    "events:check_in": allow(MANAGERS),
    "events:roadshow": allow(SIGNED_IN, post=(ORG_USERS,), args={"call_id": "roadshow_call"}),
    "events:select_application": allow(PANEL),
    "events:schedule_roadshow": allow(
        MANAGERS, args={"call_id": "roadshow_call"}, data={"session": "@roadshow_session"}
    ),
    "events:stats": allow(STATS),
    "events:stats_export": allow(STATS),
    "GET /api/events/events": allow(EVERYONE),
    "GET /api/events/events/{event_id}": allow(EVERYONE),
    "GET /api/events/events/{event_id}/programme": allow(EVERYONE),
    "POST /api/events/events/{event_id}/registrations": allow(PARTICIPANTS),
    "GET /api/events/events/{event_id}/registration": allow(REGISTERED),
    "POST /api/events/events/{event_id}/registration/withdraw": allow(REGISTERED),
    "POST /api/events/events/{event_id}/meeting-requests": allow(
        REGISTERED, body={"target_registration_id": "@registration_b"}
    ),
    "GET /api/events/events/{event_id}/agenda": allow(REGISTERED),
    "POST /api/events/meetings/{meeting_id}/respond": allow(REGISTERED, body={"accept": True}),
    "POST /api/events/events/{event_id}/schedule": allow(MANAGERS),
    "POST /api/events/events/{event_id}/sessions": allow(MANAGERS),
    "POST /api/events/events/{event_id}/check-in": allow(MANAGERS),
    "GET /api/events/events/{event_id}/statistics": allow(STATS),
    "GET /api/events/events/{event_id}/outcomes": allow(STATS),
    "POST /api/events/events/{event_id}/outcomes": allow(
        MANAGERS,
        ENT_A,
        body={
            "kind": "intention",
            "deal_type": "joint_rd",
            "title": "合作意向",
            "party_ids": ["@org_a"],
            "meeting_id": "@meeting",
        },
        why="organisers; a meeting's party for itself (乙 names only 甲 here: refused)",
    ),
    "POST /api/events/outcomes/{outcome_id}/link": allow(
        MANAGERS, body={"follow_up_ref": "techmarket:contract:1"}
    ),
}


def objects(world):
    import datetime as dt

    from kechuang.events import services
    from kechuang.events.models import Event, EventKind, Meeting

    u = world.users
    event = services.do_create_event(
        acting_user=u["admin"],
        kind=EventKind.TECH_MATCH,
        title="中国—东盟技术对接会",
        description="现场对接与签约",
        timezone="Asia/Shanghai",
        starts_at=dt.datetime(2027, 9, 15, 8, 0),
        ends_at=dt.datetime(2027, 9, 15, 18, 0),
        venue="南宁国际会展中心",
        organiser=world.orgs["science"],
        city="450100",
        languages=["zh-hans", "en"],
        requires_approval=False,
        status=Event.Status.PUBLISHED,
    )
    services.do_add_meeting_slots(
        event,
        acting_user=u["admin"],
        starts_at=dt.datetime(2027, 9, 15, 14, 0),
        minutes=20,
        count=2,
        tables=2,
    )
    reg_a = services.do_register(event, acting_user=u["ent_a"])
    reg_b = services.do_register(event, acting_user=u["ent_b"])
    services.do_request_meeting(reg_a, reg_b, acting_user=u["ent_a"], message="")
    meeting = Meeting.objects.create(event=event, low=reg_a, high=reg_b)
    call = services.do_open_roadshow_call(
        event, acting_user=u["admin"], title="项目路演", closes_at=dt.datetime(2027, 9, 1, 18, 0)
    )
    session = services.do_add_session(
        event,
        acting_user=u["admin"],
        title="项目路演",
        room="A厅",
        starts_at=dt.datetime(2027, 9, 15, 9, 0),
        ends_at=dt.datetime(2027, 9, 15, 11, 0),
        kind="roadshow",
    )
    application = services.do_apply_roadshow(call, acting_user=u["ent_a"], title="木薯乙醇")
    outcome = services.do_record_outcome(
        event,
        acting_user=u["admin"],
        kind="intention",
        deal_type="joint_rd",
        title="合作意向",
        parties=[world.orgs["ent_a"], world.orgs["ent_b"]],
    )
    return {
        "event": event.pk,
        "registration_b": reg_b.pk,
        "meeting": meeting.pk,
        "roadshow_call": call.pk,
        "roadshow_session": session.pk,
        "application": application.pk,
        "outcome": outcome.pk,
        "org_a": world.orgs["ent_a"].pk,
    }
