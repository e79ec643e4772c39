"""Authorisation rules of policies, the calculator, screening and payout rounds.

The world: a province-wide programme, fund and rounds of the 科技厅. `round` accepts applications (甲 applied:
`candidate`); `notice_round` went through the whole chain to the public notice, with an open objection raised by
乙 against 甲's candidate; `paid_round` was approved and has its payment batch. See docs/permissions.md.
"""

from kechuang.permissions.matrix import (
    ADMIN,
    APPROVER,
    CITY_OFFICIALS,
    DEPARTMENT_REVIEWERS,
    ENT_A,
    ENTERPRISES,
    EVERYONE,
    EXPERT,
    FINANCE,
    FINANCE_APPROVER,
    NANNING,
    NANNING_AREA,
    NOBODY,
    OFFICIALS,
    REVIEWERS,
    SCIENCE,
    SIGNED_IN,
    allow,
)

OWNERS = frozenset({SCIENCE, ADMIN})  # policy.round:manage for the 科技厅's province-wide rounds
APPROVERS = frozenset({APPROVER, ADMIN})  # approval: the owning department's approvers only
# Payment batch, bank return, 下达 and recoveries: the owning department's approvers or the 财政厅's (the province's
# money leaves through the finance department); approving, paying and reconciling are three people (services).
PAYERS = APPROVERS | {FINANCE_APPROVER}
SIGNERS = OWNERS | DEPARTMENT_REVIEWERS  # 联合会审: the five departments at the round's level
CONCURRERS = frozenset(
    {FINANCE_APPROVER}
)  # 财政会签: an approver of the finance department (not the system administrator of the 科技厅)
A_OR_AREA = (ENT_A,) + tuple(NANNING_AREA)
CODE = {"code": "rd_incremental"}


def _action(action, who, round_="round"):
    return (
        allow(*who, args={"round_id": round_, "action": action})
        if who
        else allow(NOBODY, args={"round_id": round_, "action": action})
    )


ROUTES = {
    "policy:home": allow(SIGNED_IN, why="organisation users are sent to their calculator"),
    "policy:policy_detail": allow(OFFICIALS, args=CODE),
    "policy:schedule_parameter": allow(ADMIN, args=CODE),
    "policy:calculator": [
        allow(
            SIGNED_IN - {EXPERT},
            why="one's own organisation (officials: their department); an expert acts for no organisation here",
        ),
        allow(*A_OR_AREA, query={"org": "@org"}),
    ],
    "policy:calculator_detail": allow(*A_OR_AREA, args=CODE, query={"org": "@org"}),
    "policy:start_screening": allow(REVIEWERS, ADMIN),
    "policy:screening_run": allow(
        OFFICIALS, args={"run_id": "screening_run"}, why="results filtered to the official's area"
    ),
    "policy:round_list": allow(SIGNED_IN),
    "policy:create_programme": allow(REVIEWERS, ADMIN, why="officials of a department"),
    "policy:create_round": allow(OWNERS, data={"fund": "@fund", "name": "x", "year": "2024"}),
    "policy:round_detail": allow(SIGNED_IN, why="a round's public facts; candidates filtered"),
    "policy:round_apply": allow(ENTERPRISES),
    "policy:notice_xlsx": allow(OFFICIALS),
    "policy:payments_xlsx": allow(PAYERS, args={"round_id": "paid_round"}),
    "policy:round_reconcile": allow(PAYERS, args={"round_id": "paid_round"}),
    "policy:round_action": [
        _action("screen", OWNERS),
        _action("close_applications", OWNERS),
        _action("county_review_all", CITY_OFFICIALS),
        _action("city_review_all", CITY_OFFICIALS),
        _action("start_joint_review", OWNERS),
        _action("joint_signoff", SIGNERS),
        _action("joint_review", OWNERS),
        _action("concur", CONCURRERS),
        _action("approve", APPROVERS),
        _action("pay", PAYERS),
        _action("cancel", OWNERS),
    ],
    "policy:candidate_detail": allow(*A_OR_AREA),
    "policy:attachment": allow(*A_OR_AREA),
    "policy:candidate_action": [
        allow(NANNING, args={"action": "county_pass"}, why="区县初审: the official whose area covers 甲"),
        allow(NANNING, args={"action": "recommend"}, why="市级推荐: 甲's city"),
        allow(*A_OR_AREA, args={"action": "object"}),
        allow(
            OWNERS,
            args={"candidate_id": "listed_candidate", "action": "uphold"},
            data={"objection": "@objection", "resolution": "x"},
        ),
    ],
    "policy:statistics": allow(OFFICIALS),
    "policy:transfer_xlsx": allow(PAYERS, args={"round_id": "paid_round"}),
    "policy:transfer_docx": allow(PAYERS, args={"round_id": "paid_round"}),
    "policy:recovery_record": allow(
        PAYERS, args={"recovery_id": "recovery"}, data={"amount_yuan": "1", "receipt": "缴款书 001"}
    ),
    "policy:fund_ledger": allow(
        OWNERS | PAYERS | {FINANCE},
        why="the owning department, and the finance department, in the fund's area",
    ),
    "policy:gongshi": allow(EVERYONE, why="the 公示 is public (the older address)"),
    "policy:gongshi_round": allow(EVERYONE, args={"round_id": "notice_round"}),
    "policy:public_notices": allow(EVERYONE, why="the 公示 is public"),
    "policy:public_notice": allow(EVERYONE, args={"round_id": "notice_round"}),
    "GET /api/policy/policies": allow(OFFICIALS),
    "GET /api/policy/calculator/{org_id}": allow(*A_OR_AREA, query={"year": 2024}),
    "GET /api/policy/rounds": allow(OFFICIALS),
    "POST /api/policy/rounds": allow(
        OWNERS, body={"fund_id": "@fund", "name": "x", "year": 2024, "budget_fen": 100, "mode": "apply"}
    ),
    "GET /api/policy/rounds/{round_id}/candidates": allow(SIGNED_IN),
    "POST /api/policy/programmes": allow(REVIEWERS, ADMIN),
    "POST /api/policy/rounds/{round_id}/cancel": allow(OWNERS),
    "POST /api/policy/rounds/{round_id}/applications": allow(
        ENTERPRISES, body={"policy_code": "rd_incremental"}
    ),
    "POST /api/policy/candidates/{candidate_id}/county-review": allow(NANNING, body={"approve": True}),
    "POST /api/policy/candidates/{candidate_id}/city-review": allow(NANNING, body={"approve": True}),
    "POST /api/policy/candidates/{candidate_id}/objections": allow(*A_OR_AREA),
    "POST /api/policy/objections/{objection_id}/resolve": allow(OWNERS),
    "POST /api/policy/rounds/{round_id}/screen": allow(OWNERS),
    "POST /api/policy/rounds/{round_id}/joint-review/start": allow(OWNERS),
    "POST /api/policy/rounds/{round_id}/joint-review": allow(SIGNERS),
    "POST /api/policy/rounds/{round_id}/joint-review/complete": allow(OWNERS),
    "POST /api/policy/rounds/{round_id}/concur": allow(CONCURRERS),
    "POST /api/policy/rounds/{round_id}/approve": allow(APPROVERS),
    "POST /api/policy/rounds/{round_id}/payment-batch": allow(PAYERS),
    "POST /api/policy/rounds/{round_id}/reconcile": allow(
        ADMIN,
        FINANCE_APPROVER,
        args={"round_id": "paid_round"},
        why="four eyes: the approver of paid_round may not reconcile it; the 财政厅's approver only concurred",
    ),
    "GET /api/policy/statistics": allow(OFFICIALS),
}


def objects(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.accounts.models import Role
    from kechuang.policy import services
    from kechuang.policy.models import Candidate, Recovery
    from kechuang.policy.tests.conftest import end_notice
    from kechuang.testing import make_user, record_indicators

    u, o = world.users, world.orgs
    wan = 1_000_000
    from kechuang.testing import make_org

    ent_c = make_org("南宁丙制造有限公司", region="450103")  # the paid round's payee (a year is paid once)
    for org in (o["ent_a"], o["ent_b"], ent_c):  # R&D growing every year: eligible in every round
        for year in (2022, 2023, 2024):
            figures = {"revenue": 10_000 * wan, "rd_spending": 500 * wan, "employees": 200}
            record_indicators(org, year, rd_super_deduction=(year - 2000) * 10 * wan, **figures)
    science = u["science"]
    programme = services.do_create_programme(
        "企业研发经费投入财政奖补", ["rd_incremental"], acting_user=science
    )
    fund = services.do_create_fund(programme, "2025年研发奖补资金", 2025, 10_000 * wan, acting_user=science)

    def new_round(name, year=2024):
        return services.do_create_round(
            fund, name, year=year, budget_fen=1_000 * wan, mode="apply", notice_days=None, acting_user=science
        )

    round_ = new_round("第一批")
    candidate = services.do_add_candidate(
        round_,
        o["ent_a"],
        "rd_incremental",
        applied=True,
        attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        acting_user=u["ent_a"],
    )

    finance_approver = u["finance_approver"]
    payer = make_user("m_payer", org=o["science"], role=Role.APPROVER)

    county = make_user("m_qingxiu", org=o["nanning_bureau"], role=Role.REVIEWER, city="450103")
    c_admin = make_user("m_ent_c", org=ent_c, role=Role.ORG_ADMIN)

    def to_notice(r, org, applicant):
        services.do_add_candidate(r, org, "rd_incremental", applied=True, acting_user=applicant)
        services.do_close_applications(r, acting_user=science)
        services.do_county_review_all(r, acting_user=county)
        services.do_city_review_all(r, acting_user=u["nanning"])
        services.do_start_joint_review(r, acting_user=science)
        for signer in ("science", "finance", "industry", "tax", "statistics"):
            services.do_joint_signoff(r, acting_user=u[signer])
        services.do_complete_joint_review(r, acting_user=science)
        r.refresh_from_db()
        return r

    notice_round = to_notice(new_round("第二批", 2023), o["ent_a"], u["ent_a"])
    listed = Candidate.objects.get(round=notice_round, organisation=o["ent_a"])
    objection = services.do_raise_objection(listed, "数据有误", acting_user=u["ent_b"])

    paid_round = to_notice(new_round("第三批"), ent_c, c_admin)
    services.do_concur_round(paid_round, acting_user=finance_approver)
    end_notice(paid_round)
    services.do_approve_round(paid_round, acting_user=u["approver"])
    services.do_create_payment_batch(paid_round, acting_user=payer)

    services.do_transfer_round(paid_round, document_no="桂科〔2026〕1号", acting_user=u["approver"])
    paid = Candidate.objects.get(round=paid_round)
    payment = paid.payment
    recovery = Recovery.objects.create(
        payment=payment,
        candidate=paid,
        organisation=paid.organisation,
        paid_fen=paid.awarded_fen,
        recomputed_fen=0,
        overpaid_fen=paid.awarded_fen,
        reason="税务部门更正研发费用加计扣除额",
        created_by=u["approver"],
    )
    run = services.do_start_screening(year=2024, acting_user=science)
    return {
        "org": o["ent_a"].pk,
        "fund": fund.pk,
        "round": round_.pk,
        "candidate": candidate.pk,
        "notice_round": notice_round.pk,
        "listed_candidate": listed.pk,
        "objection": objection.pk,
        "paid_round": paid_round.pk,
        "screening_run": run.pk,
        "recovery": recovery.pk,
    }
