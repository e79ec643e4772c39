"""Builders for tests and benches: through the real services."""

import datetime as dt

from django.utils import timezone

from kechuang.projects.models import LineKind
from kechuang.projects.services import do_create_line, do_open_call

WAN = 1_000_000  # 1 万元 in fen


def open_call(admin_user, department, *, kind=LineKind.KEY_RD, days=30, **options):
    line = do_create_line(acting_user=admin_user, kind=kind, name="广西重点研发计划", department=department)
    today = timezone.localdate()
    return do_open_call(
        acting_user=admin_user,
        line=line,
        year=today.year,
        name=f"{today.year} 年度广西重点研发计划",
        deadline=today + dt.timedelta(days=days),
        topics=[{"code": "T01", "title": "甘蔗全程机械化关键技术", "budget_fen": 300 * WAN}],
        **options,
    )


def budget(total_fen=100 * WAN):
    equipment = total_fen * 30 // 100
    indirect = total_fen * 10 // 100
    return {"equipment": equipment, "indirect": indirect, "materials": total_fen - equipment - indirect}


def make_experts(n=3, prefix="exp"):
    """Experts of the review engine in a university (no relation to the applicants)."""
    from kechuang.accounts.models import Role
    from kechuang.registry.models import OrganisationKind
    from kechuang.review.services import do_register_expert
    from kechuang.testing import make_org, make_user

    org = make_org(f"{prefix}广西大学", kind=OrganisationKind.UNIVERSITY, registration="12", industry=None)
    users = []
    for i in range(n):
        user = make_user(f"{prefix}{i}", org=org, role=Role.EXPERT)
        do_register_expert(
            user, acting_user=None, organisation=org, disciplines=[], profile_text="农业机械 甘蔗"
        )
        users.append(user)
    return users


def review_through(process, manager, score_of=lambda submission: 8):
    """Run every stage of a review process: assign, each expert scores (`score_of(submission)` on every
    criterion), pass everyone, close. Returns the process."""
    from kechuang.review.models import Assignment, AssignmentStatus, SubmissionStatus
    from kechuang.review.services import do_assign, do_close_stage, do_decide, do_submit_review

    for stage in process.stages.order_by("order"):
        do_assign(stage, acting_user=manager)
        criteria = process.rubric.criteria
        for a in Assignment.objects.filter(
            stage=stage, status__in=(AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED)
        ).select_related("expert__user", "submission"):
            score = score_of(a.submission)
            do_submit_review(
                a,
                acting_user=a.expert.user,
                scores={c["code"]: score for c in criteria},
                comments={c["code"]: "意见" for c in criteria},
            )
        for sub in process.submissions.filter(stage=stage, status=SubmissionStatus.ACTIVE):
            do_decide(stage, sub, acting_user=manager, passed=True, reason="同意")
        do_close_stage(stage, acting_user=manager)
    return process


def project_fund(manager, *, year, budget_fen=10_000 * WAN):
    """A programme and fund of the policy payout workflow that pays task-contract milestones; its 联合会审 is the
    S&T and finance departments."""
    from kechuang.policy.services import do_create_fund, do_create_programme

    programme = do_create_programme(
        "自治区科技计划项目经费",
        ["project_contract"],
        joint_departments=["science", "finance"],
        notice_min_days=1,  # the projects themselves were noticed when decided; each payment round still is
        acting_user=manager,
    )
    return do_create_fund(programme, f"{year}年科技计划项目资金", year, budget_fen, acting_user=manager)


def bank_file(batch, status="成功") -> bytes:
    lines = ["reference,account,amount,status,bank_reference"]
    for p in batch.payments.order_by("id"):
        lines.append(
            f"{p.reference},{p.account},{p.amount_fen // 100}.{p.amount_fen % 100:02d},{status},B{p.pk:08d}"
        )
    return ("\n".join(lines) + "\n").encode()


# ---- the authorisation matrix's world (kechuang/projects/access.py) -------------------------------------------


def draft_application(world):
    """甲's draft application to an open call of the 科技厅, recommended by the 南宁 science bureau, with its
    feasibility report attached."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.projects.services import do_attach, do_create_application

    call = open_call(
        world.users["admin"],
        world.orgs["science"],
        co_funding_percent=100,
        required_documents=["feasibility"],
    )
    application = do_create_application(
        call,
        acting_user=world.users["ent_a"],
        topic=call.topics.get(),
        recommender=world.orgs["nanning_bureau"],
        title="甘蔗智能收获装备研发",
        summary="研制适合丘陵地区的甘蔗收获机，突破切割、剥叶和输送关键技术。",
        pi_name="韦强",
        team=[{"name": "覃丽"}],
        targets=["样机 1 台"],
        budget=budget(),
        fiscal_fen=100 * WAN,
        self_fen=100 * WAN,
    )
    report = SimpleUploadedFile("可行性研究报告.pdf", b"%PDF-1.4", content_type="application/pdf")
    do_attach(application, acting_user=world.users["ent_a"], kind="feasibility", upload=report)
    return application


def accepted_project_world(world) -> dict:
    """A second call taken the whole way through the services: 甲's project reviewed, ranked, decided, noticed
    (one objection, answered), funded, contracted and signed, with a change request pending and a passed
    acceptance whose result is offered to the market; a fund of the payout workflow for project money; 甲's
    overseas R&D centre. Returns the objects' ids by their matrix names."""
    from kechuang.projects import services
    from kechuang.projects.models import ChangeKind, ProjectCall

    admin, unit, science = world.users["admin"], world.users["ent_a"], world.users["science"]
    today = timezone.localdate()
    call = open_call(admin, world.orgs["science"], kind=LineKind.GUIDANCE)
    app = services.do_create_application(
        call,
        acting_user=unit,
        topic=call.topics.get(),
        recommender=world.orgs["nanning_bureau"],
        title="桂糖新品种选育与示范推广",
        summary="选育高产高糖甘蔗新品种，建立示范基地并推广种植。",
        pi_name="陆明",
        targets=["新品种 2 个"],
        budget=budget(),
        fiscal_fen=100 * WAN,
        self_fen=100 * WAN,
    )
    services.do_sign_pledge(app, acting_user=unit)
    services.do_submit(app, acting_user=unit)
    services.do_endorse(app, acting_user=world.users["nanning"])
    services.do_formal_check(app, acting_user=admin)
    make_experts(3, prefix="mx")
    services.do_send_to_review(call, acting_user=admin)
    call.refresh_from_db()
    review_through(call.review_process, admin)
    services.do_rank(call, acting_user=admin)
    services.do_decide(call, acting_user=admin, decision_no="桂科会〔2026〕1号")
    app.refresh_from_db()
    objection = services.do_object(app, name="张三", contact="0771-1234567", text="请核实示范基地面积。")
    services.do_answer_objection(objection, acting_user=admin, upheld=False, answer="经核实，面积属实。")
    ProjectCall.objects.filter(pk=call.pk).update(notice_ends=today - dt.timedelta(days=1))  # time passes
    services.do_confirm_funding(call, acting_user=admin)
    app.refresh_from_db()
    contract = services.do_create_contract(
        app, acting_user=admin, starts_on=today, ends_on=today + dt.timedelta(days=730)
    )
    services.do_sign_contract(contract, acting_user=unit)
    services.do_sign_contract(contract, acting_user=science)
    change = services.do_request_change(
        contract,
        acting_user=unit,
        kind=ChangeKind.TIME,
        payload={"ends_on": (contract.ends_on + dt.timedelta(days=90)).isoformat()},
        reason="示范季推迟",
    )
    services.do_apply_acceptance(
        contract,
        acting_user=unit,
        final_report="选育新品种 2 个，示范种植 3000 亩。",
        audit_report_no="桂审专〔2026〕1号",
        audit_firm="广西某会计师事务所",
        spent_fen=90 * WAN,
        outcomes=[{"target": "新品种 2 个", "percent": 100}],
    )
    review_through(services.do_send_acceptance_to_review(contract, acting_user=admin), admin)
    services.do_decide_acceptance(contract, acting_user=admin, passed=True, note="完成任务书指标")
    centre = services.do_register_centre(
        acting_user=unit,
        name="越南甘蔗研发中心",
        host_country="VN",
        partner="Viện Mía Đường",
        filing_no="境外投资证第N4500202000001号",
        established_on=dt.date(2020, 5, 1),
    )
    return {
        "project_notice": call.pk,
        "project_funded": app.pk,
        "project_objection": objection.pk,
        "project_fund": project_fund(admin, year=today.year).pk,
        "project_contract": contract.pk,
        "project_report": contract.reports.order_by("due_on", "pk").first().pk,
        "project_change": change.pk,
        "project_result": contract.results.get().pk,
        "project_centre": centre.pk,
    }
