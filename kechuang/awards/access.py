"""Authorisation rules of the S&T awards. The world: a call of the 科技厅 with a nomination quota for 甲, and 甲's
nomination. See docs/permissions.md."""

from kechuang.permissions.matrix import ADMIN, APPROVER, ENT_A, EVERYONE, OFFICIALS, SCIENCE, SIGNED_IN, allow

MANAGERS = frozenset({SCIENCE, APPROVER, ADMIN})  # awards.call:manage for the owning department
CALL = {"pk": "award_call"}
CALL_ID = {"call_id": "award_call"}

ROUTES = {
    "awards:home": allow(OFFICIALS, ENT_A, why="officials who run calls, organisations holding a quota"),
    "awards:call": allow(MANAGERS, ENT_A, args=CALL),
    "awards:nominate": allow(ENT_A, args=CALL),
    "awards:manage": allow(MANAGERS, args=CALL),
    "awards:annex": allow(MANAGERS, args={**CALL, "fmt": "xlsx"}),
    "awards:certificate": allow(
        MANAGERS, ENT_A, args={"pk": "nomination"}, skip="needs an approved nomination in the world"
    ),
    "awards:notices": allow(EVERYONE),
    "awards:notice": allow(EVERYONE, args=CALL, skip="needs a call in its public notice in the world"),
    "awards:respond": allow(
        ENT_A,
        args=CALL,
        data={"action": "rebuttal", "nomination": "@nomination", "text": "对网络评审意见的澄清说明"},
        why="the nominating organisation's own rebuttal and answers; managers see the call but may not answer",
    ),
    "awards:national": allow(
        MANAGERS, why="the 科技厅's province-wide officials record national S&T results"
    ),
    # The API as the pages: managers run the call, 甲 nominates and answers, the notice is public.
    "GET /api/awards/calls": allow(
        SIGNED_IN, why="the list holds only the calls one runs or holds a quota in"
    ),
    "POST /api/awards/calls": allow(
        MANAGERS,
        body={"kind": "st_award", "year": 2031, "nomination_deadline": "2031-03-31"},
        why="the department that runs the award (科技厅 for the S&T award)",
    ),
    "GET /api/awards/calls/{call_id}": allow(MANAGERS, ENT_A, args=CALL_ID),
    "POST /api/awards/calls/{call_id}/nominations": allow(ENT_A, args=CALL_ID),
    "POST /api/awards/nominations/{nomination_id}/formal-check": allow(MANAGERS),
    "POST /api/awards/nominations/{nomination_id}/grade": allow(MANAGERS),
    "POST /api/awards/calls/{call_id}/rebuttal": allow(MANAGERS, args=CALL_ID),
    "GET /api/awards/nominations/{nomination_id}/reviews": allow(MANAGERS, ENT_A),
    "POST /api/awards/nominations/{nomination_id}/rebuttal": allow(ENT_A),
    "POST /api/awards/calls/{call_id}/notice": allow(MANAGERS, args=CALL_ID),
    "GET /api/awards/notices/{call_id}": allow(
        EVERYONE, args=CALL_ID, skip="needs a call in its public notice in the world"
    ),
    "POST /api/awards/notices/{call_id}/objections": allow(
        EVERYONE, args=CALL_ID, skip="needs a call in its public notice in the world"
    ),
    "GET /api/awards/calls/{call_id}/objections": allow(MANAGERS, ENT_A, args=CALL_ID),
    "POST /api/awards/objections/{objection_id}/response": allow(
        ENT_A, skip="needs an objection, hence a call in its public notice, in the world"
    ),
    "POST /api/awards/objections/{objection_id}/answer": allow(
        MANAGERS, skip="needs an objection, hence a call in its public notice, in the world"
    ),
    "POST /api/awards/calls/{call_id}/approve": allow(MANAGERS, args=CALL_ID),
    "GET /api/awards/calls/{call_id}/payouts": allow(MANAGERS, args=CALL_ID),
    "POST /api/awards/calls/{call_id}/pay-prizes": allow(MANAGERS, args=CALL_ID, body={"round_id": "@round"}),
    "GET /api/awards/national": allow(MANAGERS),
    "POST /api/awards/nominations/{nomination_id}/national": allow(MANAGERS),
    "POST /api/awards/national": allow(MANAGERS, body={"lead_unit_id": "@org"}),
    "POST /api/awards/national/{entry_id}/result": allow(MANAGERS, args={"entry_id": "national_entry"}),
    "POST /api/awards/national/pay": allow(MANAGERS, body={"round_id": "@round"}),
}


def objects(world):
    import datetime as dt

    from django.utils import timezone

    from kechuang.awards.services import do_nominate, do_open_call, do_register_national

    today = timezone.localdate()
    call = do_open_call(
        acting_user=world.users["admin"],
        kind="st_award",
        year=today.year,
        department=world.orgs["science"],
        nomination_deadline=today + dt.timedelta(days=30),
        quotas=[(world.orgs["ent_a"], 2)],
    )
    nomination = do_nominate(
        call,
        acting_user=world.users["ent_a"],
        category="st_progress",
        title="面向东盟的甘蔗智能收获装备",
        summary="甘蔗收获机械化关键技术及产业化应用",
        lead_unit=world.orgs["ent_a"],
        contributors=[{"name": "韦强"}],
    )
    entry = do_register_national(
        acting_user=world.users["admin"],
        kind="national_st",
        year=today.year,
        title="院士提名的甘蔗育种项目",
        lead_unit=world.orgs["ent_a"],
        led_by_guangxi=True,
        channel="院士提名",
    )
    return {"award_call": call.pk, "nomination": nomination.pk, "national_entry": entry.pk}
