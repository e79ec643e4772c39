"""One call from applications to acceptance through the services: ranking with priority rules, decision, public
notice, contract, staged payments through the policy payout workflow, reports, changes, acceptance."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.errors import DomainError, StateError
from kechuang.policy import services as policy
from kechuang.policy.models import LedgerEntry, Payment, Round
from kechuang.projects import services
from kechuang.projects.errors import ProjectError
from kechuang.projects.models import (
    ApplicationStatus,
    CallStatus,
    ChangeKind,
    ContractStatus,
    IntegritySource,
    NoticeObjection,
    ReportKind,
)
from kechuang.projects.testing import (
    WAN,
    bank_file,
    budget,
    make_experts,
    open_call,
    project_fund,
    review_through,
)
from kechuang.testing import record_indicators


@pytest.fixture
def call(admin_user, department):
    return open_call(admin_user, department)


def submit(call, user, recommender, endorser, *, pi, title, summary, fiscal=200 * WAN):
    app = services.do_create_application(
        call,
        acting_user=user,
        topic=call.topics.get(),
        recommender=recommender,
        title=title,
        summary=summary,
        pi_name=pi,
        targets=["样机 1 台", "发明专利 2 件"],
        budget=budget(fiscal),
        fiscal_fen=fiscal,
    )
    services.do_sign_pledge(app, acting_user=user)
    services.do_submit(app, acting_user=user)
    return services.do_endorse(app, acting_user=endorser)


def pay_round(round_, manager, people):
    policy.do_start_joint_review(round_, acting_user=manager)
    policy.do_joint_signoff(round_, acting_user=manager)
    policy.do_joint_signoff(round_, acting_user=people["finance_signer"])
    policy.do_complete_joint_review(round_, acting_user=manager)
    round_.refresh_from_db()
    policy.do_concur_round(round_, acting_user=people["finance_approver"])
    Round.objects.filter(pk=round_.pk).update(
        notice_ends=timezone.localdate() - dt.timedelta(days=1)
    )  # time passes
    policy.do_approve_round(round_, acting_user=people["approver"])
    round_.refresh_from_db()
    batch = policy.do_create_payment_batch(round_, acting_user=people["payer"])
    policy.do_reconcile_batch(batch, bank_file(batch), "return.csv", acting_user=people["reconciler"])
    return batch


def end_notice(call):
    """The notice period passes."""
    call.refresh_from_db()
    call.notice_ends = timezone.localdate() - dt.timedelta(days=1)
    call.save(update_fields=["notice_ends"])


@pytest.fixture
def funded(call, alice, bob, acme, globex, city_bureau, endorser, reviewer, department):
    """alice's (R&D intensity 6 %, tech SME) and bob's (0.5 %) applications, reviewed with equal scores; only one
    fits the topic's budget, so the priority rules decide."""
    from kechuang.registry.models import CertificationKind
    from kechuang.registry.services import do_add_certification

    year = call.year - 1
    record_indicators(acme, year, revenue=1000 * WAN, rd_spending=60 * WAN)
    record_indicators(globex, year, revenue=1000 * WAN, rd_spending=5 * WAN)
    do_add_certification(
        acme,
        kind=CertificationKind.TECH_SME,
        valid_from=dt.date(year, 1, 1),
        valid_to=dt.date(year + 1, 12, 31),
        acting_user=None,
    )
    a = submit(
        call,
        alice,
        city_bureau,
        endorser,
        pi="韦强",
        title="甘蔗智能收获装备研发",
        summary="研制丘陵甘蔗收获机，突破切割剥叶关键技术。",
    )
    b = submit(
        call,
        bob,
        city_bureau,
        endorser,
        pi="黄海",
        title="漓江水质在线监测系统",
        summary="建设漓江流域水质多参数在线监测网络与预警平台。",
    )
    for app in (a, b):
        services.do_formal_check(app, acting_user=reviewer)
    make_experts(3)
    assert services.do_send_to_review(call, acting_user=reviewer) == 2
    call.refresh_from_db()
    review_through(call.review_process, reviewer)
    ranked = services.do_rank(call, acting_user=reviewer)
    assert [x.pk for x in ranked] == [a.pk, b.pk]
    assert ranked[0].priority_points == 7 and ranked[1].priority_points == 0
    assert {r["rule"] for r in ranked[0].priority_trace} == {"priority_rd_intensity", "priority_tech_sme"}
    services.do_decide(call, acting_user=reviewer, decision_no="桂科厅会〔2026〕12号")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == ApplicationStatus.PROPOSED and a.funded_fen == 200 * WAN
    assert b.status == ApplicationStatus.NOT_FUNDED
    end_notice(call)
    services.do_confirm_funding(call, acting_user=reviewer)
    a.refresh_from_db()
    return a


def test_notice_counts_working_days_takes_objections_and_blocks_early_confirmation(
    call, alice, bob, city_bureau, endorser, reviewer
):
    from kechuang.workdays import working_days_between

    a = submit(
        call, alice, city_bureau, endorser, pi="韦强", title="甘蔗收获机", summary="甘蔗收获机关键技术研究。"
    )
    services.do_formal_check(a, acting_user=reviewer)
    make_experts(3)
    services.do_send_to_review(call, acting_user=reviewer)
    call.refresh_from_db()
    review_through(call.review_process, reviewer)
    with pytest.raises(StateError):
        services.do_decide(call, acting_user=reviewer, decision_no="X")  # not ranked yet
    services.do_rank(call, acting_user=reviewer)
    with pytest.raises(PermissionDenied):
        services.do_decide(call, acting_user=bob, decision_no="X")
    call = services.do_decide(call, acting_user=reviewer, decision_no="桂科厅会〔2026〕12号")
    assert call.status == CallStatus.NOTICE
    assert working_days_between(call.notice_starts, call.notice_ends) == 5
    a.refresh_from_db()
    objection = services.do_object(a, name="张三", contact="13800000000", text="负责人同期承担其他项目。")
    with pytest.raises(DomainError) as exc:
        services.do_confirm_funding(call, acting_user=reviewer)
    assert exc.value.code == ProjectError.NOTICE_RUNNING
    end_notice(call)
    with pytest.raises(StateError):
        services.do_confirm_funding(call, acting_user=reviewer)  # an objection is unanswered
    services.do_answer_objection(objection, acting_user=reviewer, upheld=True, answer="经核实属实。")
    with pytest.raises(DomainError) as exc:
        services.do_object(a, name="李四", contact="x", text="y")
    assert exc.value.code == ProjectError.NOTICE_CLOSED
    services.do_confirm_funding(call, acting_user=reviewer)
    a.refresh_from_db()
    assert a.status == ApplicationStatus.NOT_FUNDED
    assert NoticeObjection.objects.get().status == NoticeObjection.Status.UPHELD


def test_blacklisted_units_and_people_are_refused_with_the_source(
    call, alice, bob, city_bureau, endorser, reviewer, acme
):
    services.do_add_integrity_record(
        acting_user=reviewer,
        source=IntegritySource.MOST,
        reference="国科诚信〔2025〕3号",
        reason="论文造假",
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() + dt.timedelta(days=365),
        person_name="韦强",
    )
    with pytest.raises(PermissionDenied):
        services.do_add_integrity_record(
            acting_user=alice,
            source="most",
            reference="x",
            reason="y",
            starts_on=timezone.localdate(),
            organisation=acme,
        )
    app = services.do_create_application(
        call,
        acting_user=alice,
        topic=call.topics.get(),
        recommender=city_bureau,
        title="甘蔗收获机",
        summary="甘蔗收获机关键技术研究。",
        pi_name="韦 强",
        targets=["样机"],
        budget=budget(),
        fiscal_fen=100 * WAN,
    )
    services.do_sign_pledge(app, acting_user=alice)
    with pytest.raises(DomainError) as exc:
        services.do_submit(app, acting_user=alice)
    assert exc.value.code == ProjectError.BLACKLISTED
    assert exc.value.details["records"][0]["source"] == IntegritySource.MOST
    # a unit listed after submitting fails the formal check with the source named
    b = submit(
        call,
        bob,
        city_bureau,
        endorser,
        pi="黄海",
        title="漓江水质",
        summary="漓江水质监测。",
        fiscal=100 * WAN,
    )
    services.do_add_integrity_record(
        acting_user=None,
        source=IntegritySource.CREDIT_CHINA,
        reference="信用中国 2026-001",
        reason="严重失信主体",
        starts_on=timezone.localdate(),
        organisation=b.unit,
    )
    b = services.do_formal_check(b, acting_user=reviewer)
    assert b.status == ApplicationStatus.FORMAL_FAILED
    assert [r["source"] for r in b.formal_reasons if r["code"] == ProjectError.BLACKLISTED] == [
        "credit_china"
    ]


def test_from_contract_to_acceptance_with_staged_payments_through_the_payout_workflow(
    funded, call, alice, bob, reviewer, money_people
):
    app = funded
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.do_create_contract(
            app, acting_user=alice, starts_on=today, ends_on=today.replace(year=today.year + 2)
        )
    contract = services.do_create_contract(
        app, acting_user=reviewer, starts_on=today, ends_on=today.replace(year=today.year + 2)
    )
    milestones = list(contract.milestones.order_by("seq"))
    assert sum(m.amount_fen for m in milestones) == contract.fiscal_fen == 200 * WAN
    assert [m.amount_fen for m in milestones] == [120 * WAN, 60 * WAN, 20 * WAN]
    assert sum(contract.budget_lines.values_list("amount_fen", flat=True)) == contract.fiscal_fen
    with pytest.raises(StateError):
        services.do_sign_contract(contract, acting_user=reviewer)  # the unit signs first
    services.do_sign_contract(contract, acting_user=alice)
    contract = services.do_sign_contract(contract, acting_user=reviewer)
    assert contract.status == ContractStatus.RUNNING

    with pytest.raises(DomainError) as exc:
        services.do_request_payments(call, acting_user=reviewer)
    assert exc.value.code == ProjectError.NO_FUND
    fund = project_fund(reviewer, year=today.year)
    services.do_link_fund(call, fund, acting_user=reviewer)
    [round_] = services.do_request_payments(call, acting_user=reviewer)
    first = contract.milestones.get(seq=1)
    assert services.milestone_state(first) == "in_payment"
    pay_round(round_, reviewer, money_people)
    first.refresh_from_db()
    assert services.milestone_state(first) == "paid"
    payment = Payment.objects.get(candidate=first.candidate)
    assert payment.amount_fen == 120 * WAN and payment.dedupe_key == f"project-milestone:{first.pk}"
    assert LedgerEntry.objects.get(payment=payment).amount_fen == -120 * WAN
    with pytest.raises(StateError):
        services.do_request_payments(
            call, acting_user=reviewer
        )  # nothing else is due before the mid-term check

    midterm = contract.reports.get(kind=ReportKind.MIDTERM)
    with pytest.raises(PermissionDenied):
        services.do_submit_report(midterm, acting_user=bob, text="x", progress=[], spent_fen=0)
    services.do_submit_report(
        midterm,
        acting_user=alice,
        text="样机完成设计。",
        progress=[{"target": "样机 1 台", "percent": 60}],
        spent_fen=100 * WAN,
    )
    services.do_check_report(midterm, acting_user=reviewer, passed=True)
    [round2] = services.do_request_payments(call, acting_user=reviewer)
    pay_round(round2, reviewer, money_people)
    assert services.milestone_state(contract.milestones.get(seq=2)) == "paid"

    with pytest.raises(DomainError) as exc:
        services.do_request_change(
            contract,
            acting_user=alice,
            kind=ChangeKind.BUDGET,
            payload={"budget": {"equipment": 200 * WAN}},
            reason="购置设备",
        )
    assert exc.value.code == ProjectError.BUDGET_SHARE
    lines = {"equipment": 50 * WAN, "materials": 130 * WAN, "indirect": 20 * WAN}
    change = services.do_request_change(
        contract, acting_user=alice, kind=ChangeKind.BUDGET, payload={"budget": lines}, reason="调整试验方案"
    )
    services.do_decide_change(change, acting_user=reviewer, approve=True)
    assert dict(contract.budget_lines.values_list("category", "amount_fen")) == lines
    delay = services.do_request_change(
        contract,
        acting_user=alice,
        kind=ChangeKind.TIME,
        payload={"ends_on": contract.ends_on.replace(year=contract.ends_on.year + 1).isoformat()},
        reason="延期",
    )
    with pytest.raises(DomainError):
        services.do_decide_change(delay, acting_user=reviewer, approve=False)  # a refusal needs its reason
    services.do_decide_change(delay, acting_user=reviewer, approve=False, note="理由不充分")

    services.do_apply_acceptance(
        contract,
        acting_user=alice,
        final_report="样机通过测试，申请发明专利 2 件。",
        audit_report_no="桂审专〔2028〕8号",
        audit_firm="广西某会计师事务所",
        spent_fen=190 * WAN,
        outcomes=[{"target": "样机 1 台", "percent": 100}],
    )
    with pytest.raises(DomainError) as exc:
        services.do_request_change(contract, acting_user=alice, kind=ChangeKind.TIME, payload={}, reason="x")
    assert exc.value.code == ProjectError.CHANGE_AFTER_ACCEPTANCE
    with pytest.raises(DomainError) as exc:
        services.do_submit_report(
            contract.reports.exclude(kind=ReportKind.MIDTERM).first() or midterm,
            acting_user=alice,
            text="x",
            progress=[],
            spent_fen=0,
        )
    assert exc.value.code in (ProjectError.REPORT_CLOSED,)
    with pytest.raises(StateError):
        services.do_decide_acceptance(
            contract, acting_user=reviewer, passed=True, note="通过"
        )  # no expert review yet
    process = services.do_send_acceptance_to_review(contract, acting_user=reviewer)
    review_through(process, reviewer)
    acceptance = services.do_decide_acceptance(
        contract, acting_user=reviewer, passed=True, note="完成任务书指标"
    )
    assert acceptance.review_score is not None
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACCEPTED
    [round3] = services.do_request_payments(call, acting_user=reviewer)
    pay_round(round3, reviewer, money_people)
    assert [services.milestone_state(m) for m in contract.milestones.order_by("seq")] == ["paid"] * 3
    paid = Payment.objects.filter(candidate__project_milestone__contract=contract, status="paid")
    assert sum(p.amount_fen for p in paid) == contract.fiscal_fen


def test_overseas_centre_is_registered_and_reported_yearly_by_its_unit(alice, bob):
    from kechuang.audit.models import AuditEntry

    with pytest.raises(DomainError):
        services.do_register_centre(
            acting_user=alice,
            name="欧洲研发中心",
            host_country="CN",
            filing_no="x",
            established_on=dt.date(2020, 1, 1),
        )
    centre = services.do_register_centre(
        acting_user=alice,
        name="欧洲研发中心",
        host_country="pl",
        partner="Huta Stalowa Wola",
        filing_no="境外投资证第N4500201900012号",
        established_on=dt.date(2019, 6, 1),
    )
    assert centre.host_country == "PL"
    with pytest.raises(PermissionDenied):
        services.do_report_centre(
            centre, acting_user=bob, year=2025, staff=1, new_products=0, sales_fen=0, patents=0
        )
    services.do_report_centre(
        centre, acting_user=alice, year=2025, staff=130, new_products=6, sales_fen=17_000 * WAN, patents=3
    )
    report = services.do_report_centre(
        centre, acting_user=alice, year=2025, staff=131, new_products=6, sales_fen=17_000 * WAN, patents=4
    )
    assert report.staff == 131 and centre.reports.count() == 1
    last = AuditEntry.objects.filter(action="projects.overseas.report").order_by("-id").first()
    assert last.changes["staff"] == [130, 131]


def test_misused_funds_are_clawed_back_through_the_fund_ledger(
    client, funded, call, alice, reviewer, money_people
):
    """A failed acceptance with misused funds opens clawback records against the milestone payments; the money
    coming back is a refund entry of the fund's ledger, booked by the payout workflow."""
    from kechuang.policy.models import Recovery

    today = timezone.localdate()
    contract = services.do_create_contract(
        funded, acting_user=reviewer, starts_on=today, ends_on=today.replace(year=today.year + 2)
    )
    services.do_sign_contract(contract, acting_user=alice)
    services.do_sign_contract(contract, acting_user=reviewer)
    fund = project_fund(reviewer, year=today.year)
    services.do_link_fund(call, fund, acting_user=reviewer)
    [round_] = services.do_request_payments(call, acting_user=reviewer)
    pay_round(round_, reviewer, money_people)  # 120 万 paid on signing
    services.do_apply_acceptance(
        contract,
        acting_user=alice,
        final_report="样机未完成。",
        audit_report_no="桂审专〔2028〕9号",
        audit_firm="广西某会计师事务所",
        spent_fen=110 * WAN,
        outcomes=[{"target": "样机 1 台", "percent": 40}],
    )
    review_through(
        services.do_send_acceptance_to_review(contract, acting_user=reviewer), reviewer, lambda s: 3
    )
    with pytest.raises(DomainError):
        services.do_decide_acceptance(
            contract, acting_user=reviewer, passed=False, note="x", misused_fen=contract.fiscal_fen + 1
        )
    services.do_decide_acceptance(
        contract, acting_user=reviewer, passed=False, note="挪用经费购置无关设备", misused_fen=30 * WAN
    )
    contract.refresh_from_db()
    [recovery] = Recovery.objects.all()
    assert recovery.overpaid_fen == 30 * WAN and recovery.payment.amount_fen == 120 * WAN
    assert services.clawback_status(contract) == {
        "misused_fen": 30 * WAN,
        "due_fen": 30 * WAN,
        "recovered_fen": 0,
    }
    balance = sum(LedgerEntry.objects.filter(fund=fund).values_list("amount_fen", flat=True))
    policy.do_record_recovery(
        recovery, amount_fen=30 * WAN, receipt="桂财缴〔2028〕001", acting_user=money_people["payer"]
    )
    refunds = LedgerEntry.objects.filter(fund=fund, kind=LedgerEntry.Kind.RECOVERY)
    assert list(refunds.values_list("amount_fen", flat=True)) == [30 * WAN]
    assert (
        sum(LedgerEntry.objects.filter(fund=fund).values_list("amount_fen", flat=True)) == balance + 30 * WAN
    )
    assert services.clawback_status(contract)["recovered_fen"] == 30 * WAN
    client.force_login(alice)
    page = client.get(f"/projects/contracts/{contract.pk}/").content.decode()
    assert 'id="clawback"' in page and "30.00" in page
    assert (
        services.milestone_state(contract.milestones.get(seq=3)) == "waiting"
    )  # a failed project gets no more
