"""Authorisation rules of the S&T awards. The world: a call of the 科技厅 with a nomination quota for 甲, and 甲's
nomination. See docs/permissions.md."""

from kechuang.permissions.matrix import ADMIN, APPROVER, ENT_A, EVERYONE, NOBODY, OFFICIALS, SCIENCE, allow

PENDING = allow(
    NOBODY,
    skip="rule not yet exercised by the matrix (awards owner, landed at the deadline; see docs/review.md)",
)
MANAGERS = frozenset({SCIENCE, APPROVER, ADMIN})  # awards.call:manage for the owning department
CALL = {"pk": "award_call"}

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
    # Added with the payout, rebuttal, national-award work; rules stated in docs/review.md, not yet exercised here:
    # respond — the nominating organisation (甲); national — the 科技厅's province-wide officials; the API as the
    # pages (managers: MANAGERS; nominator: 甲; notices and objections: everyone).
    "awards:respond": PENDING,
    "awards:national": PENDING,
    "GET /api/awards/calls": PENDING,
    "POST /api/awards/calls": PENDING,
    "GET /api/awards/calls/{call_id}": PENDING,
    "POST /api/awards/calls/{call_id}/nominations": PENDING,
    "POST /api/awards/nominations/{nomination_id}/formal-check": PENDING,
    "POST /api/awards/nominations/{nomination_id}/grade": PENDING,
    "POST /api/awards/calls/{call_id}/rebuttal": PENDING,
    "GET /api/awards/nominations/{nomination_id}/reviews": PENDING,
    "POST /api/awards/nominations/{nomination_id}/rebuttal": PENDING,
    "POST /api/awards/calls/{call_id}/notice": PENDING,
    "GET /api/awards/notices/{call_id}": PENDING,
    "POST /api/awards/notices/{call_id}/objections": PENDING,
    "GET /api/awards/calls/{call_id}/objections": PENDING,
    "POST /api/awards/objections/{objection_id}/response": PENDING,
    "POST /api/awards/objections/{objection_id}/answer": PENDING,
    "POST /api/awards/calls/{call_id}/approve": PENDING,
    "GET /api/awards/calls/{call_id}/payouts": PENDING,
    "POST /api/awards/calls/{call_id}/pay-prizes": PENDING,
    "GET /api/awards/national": PENDING,
    "POST /api/awards/nominations/{nomination_id}/national": PENDING,
    "POST /api/awards/national": PENDING,
    "POST /api/awards/national/{entry_id}/result": PENDING,
    "POST /api/awards/national/pay": PENDING,
}


def objects(world):
    import datetime as dt

    from django.utils import timezone

    from kechuang.awards.services import do_nominate, do_open_call

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
    return {"award_call": call.pk, "nomination": nomination.pk}
