"""Authorisation rules of the talent programmes (kechuang.permissions.talent). The world: 甲's application for a
person (submitted), a second one on public notice, and 甲's 八桂学者 post. See docs/permissions.md."""

from kechuang.permissions.matrix import (
    ADMIN,
    APPROVER,
    ENT_A,
    ENTERPRISES,
    EVERYONE,
    NANNING_AREA,
    OFFICIALS,
    PROVINCE_OFFICIALS,
    SCIENCE,
    allow,
)

APP = {"pk": "talent_application"}
POST_ = {"pk": "bagui_post"}
API_APP = {"application_id": "talent_application"}
TALENT_OFFICE = frozenset({SCIENCE, APPROVER, ADMIN})
API_NOTICED = {"application_id": "talent_on_notice"}
APPT = {"appointment_id": "bagui_appointment"}

ROUTES = {
    "talent:home": allow(OFFICIALS, ENTERPRISES, why="talent.view for officials, talent.apply for employers"),
    "talent:apply": allow(ENTERPRISES, why="an organisation administrator applies for its own people"),
    "talent:application": allow(
        NANNING_AREA, ENT_A, args=APP, why="officials whose area covers the employer"
    ),
    "talent:act": allow(NANNING_AREA, ENT_A, args=APP, why="the door; each action's own rule in ACTIONS"),
    "talent:benefits": allow(PROVINCE_OFFICIALS, why="province-wide officials run the benefits"),
    "talent:benefits_run": allow(PROVINCE_OFFICIALS),
    "talent:export": allow(OFFICIALS, ENTERPRISES, why="each sees the applications visible to them"),
    "talent:notice": allow(EVERYONE, why="公示 is public"),
    "talent:object": allow(EVERYONE, args={"pk": "talent_on_notice"}, why="anyone may object, signed"),
    "talent:bagui": allow(OFFICIALS, ENTERPRISES, post=ENTERPRISES, why="units apply for posts"),
    "talent:bagui_post": allow(NANNING_AREA, ENT_A, args=POST_),
    "talent:bagui_act": allow(NANNING_AREA, ENT_A, args=POST_, why="the door; each action checks its rule"),
    # The API: the same rules as the services the pages call, each operation with its own.
    "GET /api/talent/applications": allow(OFFICIALS, ENTERPRISES, why="as talent:home"),
    "POST /api/talent/applications": allow(ENTERPRISES, why="talent.apply: an employer's administrator"),
    "GET /api/talent/applications/{application_id}": allow(NANNING_AREA, ENT_A, args=API_APP),
    "POST /api/talent/applications/{application_id}/precheck": allow(
        NANNING_AREA, args=API_APP, why="talent.precheck: officials whose area covers the employer"
    ),
    "POST /api/talent/applications/{application_id}/recognise": allow(PROVINCE_OFFICIALS, args=API_APP),
    "POST /api/talent/applications/{application_id}/reject": allow(PROVINCE_OFFICIALS, args=API_APP),
    "POST /api/talent/applications/{application_id}/certify": allow(PROVINCE_OFFICIALS, args=API_NOTICED),
    "POST /api/talent/applications/{application_id}/compliance": allow(
        PROVINCE_OFFICIALS,
        ENT_A,
        args=API_APP,
        why="the employer reports; province-wide officials may record",
    ),
    "POST /api/talent/applications/{application_id}/leaving": allow(PROVINCE_OFFICIALS, ENT_A, args=API_APP),
    "POST /api/talent/applications/{application_id}/payee": allow(
        TALENT_OFFICE,
        ENT_A,
        args=API_APP,
        why="the employer, or the talent office (科技厅 and administrators)",
    ),
    "POST /api/talent/notice": allow(PROVINCE_OFFICIALS, why="province-wide officials publish the notice"),
    "GET /api/talent/notice": allow(EVERYONE, why="公示 is public"),
    "POST /api/talent/notice/{application_id}/objections": allow(EVERYONE, args=API_NOTICED),
    "POST /api/talent/objections/{objection_id}/answer": allow(PROVINCE_OFFICIALS),
    "POST /api/talent/benefits/compliance-run": allow(PROVINCE_OFFICIALS),
    "POST /api/talent/benefits/publish": allow(PROVINCE_OFFICIALS),
    "POST /api/talent/benefits/settle": allow(PROVINCE_OFFICIALS),
    "POST /api/talent/benefits/round": allow(
        PROVINCE_OFFICIALS, body={"round_id": "@talent_round"}, why="province-wide officials run the benefits"
    ),
    "GET /api/talent/bagui/posts": allow(OFFICIALS, ENTERPRISES),
    "POST /api/talent/bagui/posts": allow(ENTERPRISES, why="units apply for posts"),
    "GET /api/talent/bagui/posts/{post_id}": allow(NANNING_AREA, ENT_A, args={"post_id": "bagui_post"}),
    "POST /api/talent/bagui/posts/{post_id}/review": allow(
        PROVINCE_OFFICIALS, args={"post_id": "bagui_post"}
    ),
    "POST /api/talent/bagui/posts/{post_id}/applicants": allow(
        PROVINCE_OFFICIALS, args={"post_id": "bagui_post"}
    ),
    "POST /api/talent/bagui/appointments/{appointment_id}/scores": allow(PROVINCE_OFFICIALS, args=APPT),
    "POST /api/talent/bagui/appointments/{appointment_id}/decide": allow(PROVINCE_OFFICIALS, args=APPT),
    "POST /api/talent/bagui/appointments/{appointment_id}/contract": allow(PROVINCE_OFFICIALS, args=APPT),
    "POST /api/talent/bagui/appointments/{appointment_id}/evaluations": allow(PROVINCE_OFFICIALS, args=APPT),
    "POST /api/talent/bagui/appointments/{appointment_id}/payee": allow(
        TALENT_OFFICE, ENT_A, args=APPT, why="the post's unit, or the talent office"
    ),
    "POST /api/talent/bagui/appointments/{appointment_id}/tickets": allow(
        PROVINCE_OFFICIALS, ENT_A, args=APPT, why="the post's unit asks; the office may open one too"
    ),
    "POST /api/talent/bagui/tickets/{ticket_id}/close": allow(
        PROVINCE_OFFICIALS, args={"ticket_id": "ticket"}
    ),
}


def objects(world):
    import datetime as dt

    from django.utils import timezone

    from kechuang.codes import resident_id_check_char
    from kechuang.talent import services
    from kechuang.talent.services import bagui

    def id_number(seq):
        body = f"45010219850101{seq:03d}"
        return body + resident_id_check_char(body)

    today = timezone.localdate()
    ent_a, admin = world.users["ent_a"], world.users["admin"]

    def apply(seq):
        return services.do_apply(
            acting_user=ent_a,
            name=f"人才{seq}",
            id_number=id_number(seq),
            level="C",
            credential="jieqing",
            contract_start=today - dt.timedelta(days=30),
            contract_end=today + dt.timedelta(days=5 * 366),
            evidence={"contract": "HT-1", "social_insurance": "SB-1", "tax": "GS-1"},
        )

    submitted = apply(1)
    noticed = apply(2)
    services.do_precheck(noticed, acting_user=admin, passed=True)
    services.do_recognise(noticed, acting_user=admin)
    services.do_start_notice(acting_user=admin)
    post = bagui.do_apply_post(  # next year's: its post review is still open while this year's is over
        acting_user=ent_a,
        title="甘蔗育种首席",
        discipline="作物遗传育种",
        field="natural",
        team="甘蔗育种团队 12 人，国家产业技术体系岗位",
        matching_fen=100_000_000,
        year=today.year + 1,
    )
    noticed.refresh_from_db()
    objection = services.do_object(
        noticed, name="韦明", contact="0771-1234567", text="该人才的认定依据与事实不符。"
    )
    # a scholar under contract on a second post (decided a month ago, so the notice is over), with a ticket
    filled = bagui.do_apply_post(
        acting_user=ent_a,
        title="糖料蔗机械化首席",
        discipline="农业机械化工程",
        field="natural",
        team="甘蔗机械化团队 8 人，自治区创新团队",
        matching_fen=50_000_000,
    )
    appointment = _scholar(filled, admin, id_number(3), today, world.users["expert"])
    ticket = bagui.do_open_ticket(appointment, acting_user=ent_a, kind="schooling", detail="子女入学")
    talent_round = _talent_round(admin, today.year)
    return {
        "talent_round": talent_round.pk,
        "talent_application": submitted.pk,
        "talent_on_notice": noticed.pk,
        "bagui_post": post.pk,
        "objection": objection.pk,
        "bagui_appointment": appointment.pk,
        "ticket": ticket.pk,
    }


def _scholar(post, admin, id_number, today, expert):
    """The post review, the written review and the hearing on the review engine, by the world's expert."""
    import datetime as dt

    from kechuang.talent.expert_review import play_review
    from kechuang.talent.services import bagui

    play_review(post.review_submission, [expert], [9])
    bagui.do_review_post(post, acting_user=admin, approved=True, note="岗位设置合理")
    appointment = bagui.do_add_applicant(post, acting_user=admin, name="黎学者", id_number=id_number)
    play_review(appointment.review_submission, [expert], [9])
    play_review(appointment.review_submission, [expert], [9])
    bagui.do_take_review_scores(appointment, acting_user=admin)
    bagui.do_decide(
        appointment, acting_user=admin, document="桂人才〔2026〕1号", start=today - dt.timedelta(days=40)
    )
    return bagui.do_contract(
        appointment,
        acting_user=admin,
        start=today - dt.timedelta(days=10),
        task_sheet="五年任务书：目标、指标与经费安排",
    )


def _talent_round(admin, year):
    """A draft round (依申请) of a talent-benefit programme, for the hand-over of the year's benefits."""
    from kechuang.policy import services as policy

    programme = policy.do_create_programme("高层次人才待遇", ["talent_benefit"], acting_user=admin)
    fund = policy.do_create_fund(programme, f"{year}年人才待遇资金", year, 10**9, acting_user=admin)
    return policy.do_create_round(
        fund, f"{year}年度人才待遇", year=year, budget_fen=10**9, mode="apply", acting_user=admin
    )
