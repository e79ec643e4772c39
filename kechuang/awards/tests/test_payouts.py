"""Prizes paid through the policy payout workflow; the national recommendation, results, 1:1 matching and the
defence-stage reward; the rebuttal of the online review and the nominee's answer to an objection."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.audit.models import AuditEntry
from kechuang.awards.errors import AwardError
from kechuang.awards.models import AwardObjection, NationalAwardKind, NationalStage
from kechuang.awards.services import (
    do_approve,
    do_object,
    do_open_call,
    do_open_rebuttal,
    do_pay_national_rewards,
    do_pay_prizes,
    do_propose_grade,
    do_recommend_national,
    do_record_national_result,
    do_register_national,
    do_respond_objection,
    do_start_notice,
    do_submit_rebuttal,
    national_bases,
    payout_rows,
)
from kechuang.awards.tests.test_awards import TODAY, nominate, walk_to_committee_pass
from kechuang.errors import DomainError
from kechuang.policy import services as policy
from kechuang.policy.models import Candidate, LedgerEntry, Payment, Round
from kechuang.policy.tests.conftest import bank_file, end_notice
from kechuang.registry.models import DepartmentType, OrganisationKind
from kechuang.review.errors import ReviewError
from kechuang.review.models import Assignment, StageKind
from kechuang.testing import make_org, make_user

WAN = 1_000_000


def approved_call(call, alice, bob, admin_user, department):
    first = nominate(call, alice)
    second = nominate(call, bob, title="柳州新能源汽车电驱系统", people=("卢明", "蒙海燕"))
    first, second = walk_to_committee_pass(call, [first, second], admin_user, department)
    do_propose_grade(first, acting_user=admin_user, grade_code="first")
    do_propose_grade(second, acting_user=admin_user, grade_code="second")
    do_start_notice(call, acting_user=admin_user, start=TODAY - dt.timedelta(days=30))
    call.refresh_from_db()
    do_approve(call, acting_user=admin_user, document="桂政函〔2026〕8号")
    call.refresh_from_db()
    return call, first, second


def test_prizes_are_paid_through_the_payout_workflow_to_the_ledger(
    call,
    alice,
    bob,
    admin_user,
    department,
    reviewer,
    signers,
    finance_approver,
    approver,
    payer,
    reconciler,
    prize_round,
    acme,
    globex,
):
    call, first, second = approved_call(call, alice, bob, admin_user, department)
    round_ = prize_round()
    with pytest.raises(PermissionDenied):
        do_pay_prizes(call, round_, acting_user=alice)
    do_pay_prizes(call, round_, acting_user=reviewer)
    round_.refresh_from_db()
    assert round_.status == Round.Status.CITY_REVIEW
    candidates = {c.organisation_id: c for c in round_.candidates.all()}
    assert {k: c.computed_fen for k, c in candidates.items()} == {
        acme.pk: 20 * 10_000_00,
        globex.pk: 10 * 10_000_00,
    }
    assert all(c.status == Candidate.Status.RECOMMENDED for c in candidates.values())
    assert all("桂政函〔2026〕8号" in c.city_note for c in candidates.values())
    # the amount explains itself: the trace names the figure written from the decision
    assert "st_award_prize_due" in str(candidates[acme.pk].trace)
    # paying again is refused: the call has its round
    with pytest.raises(DomainError) as again:
        do_pay_prizes(call, prize_round(name="再来一次"), acting_user=reviewer)
    assert again.value.status == 409
    # the rest is the payout workflow as it is: 联合会审 (科技 + 财政), notice, 财政会签, approval, payment, bank file
    policy.do_start_joint_review(round_, acting_user=reviewer)
    for kind in (DepartmentType.SCIENCE, DepartmentType.FINANCE):
        policy.do_joint_signoff(round_, acting_user=signers[kind])
    policy.do_complete_joint_review(round_, acting_user=reviewer)
    end_notice(round_)
    policy.do_concur_round(round_, acting_user=finance_approver)
    policy.do_approve_round(round_, acting_user=approver)
    round_.refresh_from_db()
    batch = policy.do_create_payment_batch(round_, acting_user=payer)
    policy.do_reconcile_batch(batch, bank_file(batch), "return.csv", acting_user=reconciler)
    assert sorted(
        Payment.objects.filter(status=Payment.Status.PAID).values_list("amount_fen", flat=True)
    ) == [
        10 * 10_000_00,
        20 * 10_000_00,
    ]
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).count() == 2
    call.refresh_from_db()
    rows = payout_rows(call)
    assert {r["organisation"].pk: r["payment"].status for r in rows} == {
        acme.pk: Payment.Status.PAID,
        globex.pk: Payment.Status.PAID,
    }
    assert AuditEntry.objects.filter(action="awards.prizes.pay").count() == 1


def test_nobody_applies_for_a_prize_and_other_policies_cannot_skip_the_review(
    call, alice, admin_user, reviewer, prize_round, acme
):
    round_ = prize_round()
    with pytest.raises(DomainError):
        policy.do_add_candidate(round_, acme, "st_award_prize", acting_user=alice, applied=True)
    with pytest.raises(DomainError):
        policy.do_add_decided_candidates(
            round_, [policy.Decided(acme, "rd_incremental", 100, "自称已决定")], acting_user=reviewer
        )


def test_prizes_wait_for_the_approval_and_need_a_round_with_the_prize_policy(
    call, alice, bob, admin_user, department, reviewer, prize_round
):
    with pytest.raises(DomainError):
        do_pay_prizes(call, prize_round(), acting_user=reviewer)
    call, _first, _second = approved_call(call, alice, bob, admin_user, department)
    other = policy.do_create_programme("研发奖补", ["rd_incremental"], acting_user=reviewer)
    fund = policy.do_create_fund(other, "研发奖补资金", TODAY.year, 100 * WAN, acting_user=reviewer)
    wrong = policy.do_create_round(
        fund, "研发", year=TODAY.year, budget_fen=10 * WAN, mode="apply", acting_user=reviewer
    )
    with pytest.raises(DomainError):
        do_pay_prizes(call, wrong, acting_user=reviewer)
    with pytest.raises(DomainError):
        do_pay_prizes(call, prize_round(year=TODAY.year - 1, name="上年"), acting_user=reviewer)


def test_patent_award_shares_are_whole_yuan_and_inventors_are_paid_through_their_units(
    admin_user, department
):
    from kechuang.awards.models import Contributor, Nomination
    from kechuang.awards.services import _split_prize

    holder = make_org("桂林专利持有有限公司", region="450300")
    lab = make_org(
        "桂林电子科技大学",
        kind=OrganisationKind.UNIVERSITY,
        region="450300",
        registration="12",
        industry=None,
    )
    year = 2024
    call = do_open_call(
        acting_user=admin_user,
        kind="patent_award",
        year=year,
        department=department,
        nomination_deadline=dt.date(2024, 6, 1),
    )
    n = Nomination.objects.create(
        call=call,
        category="invention_utility",
        title="专利",
        title_key="专利",
        summary="s",
        nominator=holder,
        lead_unit=holder,
        status="awarded",
        proposed_grade="first",
        prize_fen=10 * 10_000_00,
        nominated_by=admin_user,
    )
    for i, unit in enumerate((holder, lab, lab), start=1):
        Contributor.objects.create(
            nomination=n, order=i, name=f"发明人{i}", person_key=f"p{i}", year=year, unit=unit
        )
    _split_prize(n)
    shares = list(n.contributors.values_list("share_fen", flat=True))
    assert shares == [1_000_000, 1_000_000, 1_000_000]  # 30% of 10万 = 3万, 1万 each
    assert all(s % 100 == 0 for s in shares)
    from kechuang.awards.services import prize_payees

    payees = prize_payees(call)
    assert payees[holder.pk]["fen"] == 7 * 10_000_00 + 1_000_000
    assert payees[lab.pk]["fen"] == 2_000_000
    assert sum(p["fen"] for p in payees.values()) == n.prize_fen


def test_winners_go_to_the_national_award_and_results_pay_the_matching_and_defence_reward(
    call, alice, bob, admin_user, department, reviewer, prize_round, acme, globex
):
    call, first, second = approved_call(call, alice, bob, admin_user, department)
    with pytest.raises(DomainError) as too_late:
        do_recommend_national(first, acting_user=admin_user, year=TODAY.year + 5)
    assert too_late.value.status == 422
    won = do_recommend_national(first, acting_user=admin_user, year=TODAY.year)
    assert won.kind == NationalAwardKind.NATIONAL_ST
    with pytest.raises(DomainError):
        do_recommend_national(first, acting_user=admin_user, year=TODAY.year)
    defended = do_recommend_national(second, acting_user=admin_user, year=TODAY.year)
    university = make_org(
        "广西大学", kind=OrganisationKind.UNIVERSITY, region="450103", registration="12", industry=None
    )
    other = do_register_national(
        acting_user=reviewer,
        kind=NationalAwardKind.NATIONAL_ST,
        year=TODAY.year,
        title="院士提名项目",
        lead_unit=university,
        led_by_guangxi=True,
        channel="院士提名",
    )
    market_official = make_user("market1", org=department, role=Role.REVIEWER, city="450200")
    with pytest.raises(PermissionDenied):
        do_record_national_result(won, acting_user=market_official, stage=NationalStage.DEFENCE, document="x")
    for entry in (won, defended, other):
        do_record_national_result(
            entry, acting_user=reviewer, stage=NationalStage.DEFENCE, document="国科奖字〔2026〕1号"
        )
    with pytest.raises(DomainError):  # a winner needs a grade
        do_record_national_result(
            won,
            acting_user=reviewer,
            stage=NationalStage.AWARDED,
            document="国发〔2026〕2号",
            prize_fen=15 * 10_000_00,
        )
    do_record_national_result(
        won,
        acting_user=reviewer,
        stage=NationalStage.AWARDED,
        grade="二等奖",
        document="国发〔2026〕2号",
        prize_fen=15 * 10_000_00,
    )
    do_record_national_result(
        defended, acting_user=reviewer, stage=NationalStage.NOT_AWARDED, document="国发〔2026〕2号"
    )
    do_record_national_result(
        other, acting_user=reviewer, stage=NationalStage.NOT_AWARDED, document="国发〔2026〕2号"
    )
    with pytest.raises(DomainError):  # a decided result is final
        do_record_national_result(
            defended,
            acting_user=reviewer,
            stage=NationalStage.AWARDED,
            grade="一等奖",
            document="x",
            prize_fen=1,
        )
    bases = national_bases(TODAY.year)
    assert {k: v["value"] for k, v in bases["national_award_matching"].items()} == {acme.pk: 15 * 10_000_00}
    # the defence reward is for enterprise-led projects: the university's is not counted; the winner gets matching
    assert {k: v["value"] for k, v in bases["national_award_defence"].items()} == {globex.pk: 1}
    round_ = prize_round(name="国家奖配套")
    candidates = do_pay_national_rewards(TODAY.year, round_, acting_user=reviewer)
    amounts = {(c.organisation_id, c.policy_code): c.computed_fen for c in candidates}
    assert amounts == {
        (acme.pk, "national_award_matching"): 15 * 10_000_00,  # 1:1
        (globex.pk, "national_award_defence"): 20 * 10_000_00,  # per project, unverified figure
    }
    assert all(c.status == Candidate.Status.RECOMMENDED for c in candidates)
    trace = str(next(c for c in candidates if c.policy_code == "national_award_defence").trace)
    assert "per_project" in trace or "每个进入答辩阶段项目的奖励" in trace


def test_the_nominator_rebuts_the_online_review_and_answers_an_objection(
    call, alice, bob, admin_user, department
):
    n = nominate(call, alice)
    from kechuang.awards.services import do_formal_check
    from kechuang.review.services import do_close_stage

    do_formal_check(n, acting_user=admin_user, passed=True, note="材料齐全")
    stages = {s.kind: s for s in call.review_process.stages.all()}
    do_close_stage(stages[StageKind.FORMAL], acting_user=admin_user)
    with pytest.raises(DomainError) as closed:
        do_submit_rebuttal(n, acting_user=alice, text="对网络评审意见的澄清说明材料")
    assert closed.value.code == ReviewError.REBUTTAL_CLOSED
    do_open_rebuttal(call, acting_user=admin_user, deadline=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(PermissionDenied):
        do_submit_rebuttal(n, acting_user=bob, text="别人的项目，不应允许提交答辩")
    # no review yet: nothing to answer
    assert not Assignment.objects.exists()
    with pytest.raises(DomainError):
        do_submit_rebuttal(n, acting_user=alice, text="对网络评审意见的澄清说明材料")
    # the objection and the nominee's answer (答辩)
    n = walk_to_committee_pass(call, n, admin_user, department)
    do_propose_grade(n, acting_user=admin_user, grade_code="first")
    do_start_notice(call, acting_user=admin_user, start=TODAY)
    objection = do_object(n, name="张三", contact="13800000000", text="该项目的应用证明存在问题，请核实。")
    with pytest.raises(PermissionDenied):
        do_respond_objection(objection, acting_user=bob, text="不是本单位的项目，不能答辩。")
    do_respond_objection(objection, acting_user=alice, text="应用证明由用户单位出具，附合同与发票。")
    with pytest.raises(DomainError) as twice:
        do_respond_objection(objection, acting_user=alice, text="第二次说明，应当被拒绝。")
    assert twice.value.code == AwardError.RESPONSE_TWICE
    objection.refresh_from_db()
    assert objection.response and objection.status == AwardObjection.Status.OPEN
