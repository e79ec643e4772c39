"""Authorisation rules of the S&T awards. The world: a call of the 科技厅 with a nomination quota for 甲, and 甲's
nomination; last year's call in its public notice with 甲's proposed award and an objection to it; a national
entry; the call of the year before, approved, with 甲's winner. See docs/permissions.md."""

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
    "awards:certificate": allow(MANAGERS, ENT_A, args={"pk": "awarded_nomination"}),
    "awards:notices": allow(EVERYONE),
    "awards:notice": allow(EVERYONE, args={"pk": "noticed_call"}, data={"nomination": "@noticed_nomination"}),
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
    "GET /api/awards/notices/{call_id}": allow(EVERYONE, args={"call_id": "noticed_call"}),
    "POST /api/awards/notices/{call_id}/objections": allow(
        EVERYONE, args={"call_id": "noticed_call"}, body={"nomination_id": "@noticed_nomination"}
    ),
    "GET /api/awards/calls/{call_id}/objections": allow(MANAGERS, ENT_A, args=CALL_ID),
    "POST /api/awards/objections/{objection_id}/response": allow(
        ENT_A, args={"objection_id": "award_objection"}
    ),
    "POST /api/awards/objections/{objection_id}/answer": allow(
        MANAGERS, args={"objection_id": "award_objection"}
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

    from kechuang.awards.services import (
        do_approve,
        do_nominate,
        do_object,
        do_open_call,
        do_propose_grade,
        do_register_national,
        do_start_notice,
    )
    from kechuang.awards.tests.test_awards import walk_to_committee_pass

    u, o = world.users, world.orgs
    today = timezone.localdate()
    call = do_open_call(
        acting_user=u["admin"],
        kind="st_award",
        year=today.year,
        department=o["science"],
        nomination_deadline=today + dt.timedelta(days=30),
        quotas=[(o["ent_a"], 2)],
    )
    nomination = do_nominate(
        call,
        acting_user=u["ent_a"],
        category="st_progress",
        title="面向东盟的甘蔗智能收获装备",
        summary="甘蔗收获机械化关键技术及产业化应用",
        lead_unit=o["ent_a"],
        contributors=[{"name": "韦强"}],
    )
    entry = do_register_national(
        acting_user=u["admin"],
        kind="national_st",
        year=today.year,
        title="院士提名的甘蔗育种项目",
        lead_unit=o["ent_a"],
        led_by_guangxi=True,
        channel="院士提名",
    )

    # Last year's call, walked through review to its public notice, with an objection to 甲's proposed award.
    def graded_nomination(year, title, summary, contributor, grade, **walk):
        """甲's nomination to a past year's call, walked through review to a proposed grade."""
        past = do_open_call(
            acting_user=u["admin"],
            kind="st_award",
            year=year,
            department=o["science"],
            nomination_deadline=today + dt.timedelta(days=30),
            quotas=[(o["ent_a"], 1)],
        )
        nominated = do_nominate(
            past,
            acting_user=u["ent_a"],
            category="st_progress",
            title=title,
            summary=summary,
            lead_unit=o["ent_a"],
            contributors=[{"name": contributor}],
        )
        nominated = walk_to_committee_pass(past, nominated, u["admin"], o["science"], **walk)
        do_propose_grade(nominated, acting_user=u["admin"], grade_code=grade)
        return past, nominated

    noticed, listed = graded_nomination(
        today.year - 1, "甘蔗糖厂清洁生产与综合利用", "制糖废渣综合利用关键技术", "黄敏", "second"
    )
    do_start_notice(noticed, acting_user=u["admin"], start=today)
    objection = do_object(
        listed, name="张三", contact="13800000000", text="该项目的应用证明存在问题，请核实。"
    )
    # The year before: approved after its notice, so 甲's winner has a certificate.
    approved, winner = graded_nomination(
        today.year - 2,
        "桂北山区特色水果保鲜冷链技术",
        "特色水果采后保鲜与冷链物流",
        "蒙海燕",
        "third",
        prefix="approved_committee",
    )
    do_start_notice(approved, acting_user=u["admin"], start=today - dt.timedelta(days=40))
    do_approve(approved, acting_user=u["admin"], document="桂政函〔2025〕1号")
    return {
        "award_call": call.pk,
        "nomination": nomination.pk,
        "national_entry": entry.pk,
        "noticed_call": noticed.pk,
        "noticed_nomination": listed.pk,
        "award_objection": objection.pk,
        "awarded_nomination": winner.pk,
    }
