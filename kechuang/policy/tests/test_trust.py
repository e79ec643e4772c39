"""Issue 9 (departments and cities, four eyes on money) and issue 10 (the real review chain, budgets as
departments handle them) on the payout workflow: one test per reproduction, and the new rules."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, StateError
from kechuang.jobs.queue import run_pending
from kechuang.policy import services
from kechuang.policy.models import Candidate, LedgerEntry, Payment, Programme, Round
from kechuang.policy.tests.conftest import WAN, bank_file, end_notice
from kechuang.registry.models import Organisation
from kechuang.testing import record_indicators

pytestmark = pytest.mark.django_db


def screened(round_, reviewer):
    services.do_screen_round(round_, acting_user=reviewer)
    [job] = run_pending()
    assert job.status == "succeeded", job.error
    round_.refresh_from_db()
    return round_


@pytest.fixture
def approved(firms, make_round, reviewer, chain):
    round_ = screened(make_round(), reviewer)
    chain.to_notice(round_)
    return chain.approve(round_)


# ---- departments own programmes; officials act within department and city (issue 9 item 3) --------------------


def test_a_city_reviewer_cannot_close_a_province_wide_round(make_round, liuzhou_reviewer, reviewer):
    round_ = make_round(mode="apply")
    with pytest.raises(PermissionDenied):
        services.do_close_applications(round_, acting_user=liuzhou_reviewer)
    with pytest.raises(PermissionDenied):
        services.do_cancel_round(round_, reason="x", acting_user=liuzhou_reviewer)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
    services.do_close_applications(
        round_, acting_user=reviewer
    )  # the owning department's provincial official


def test_a_city_reviewer_cannot_reject_in_joint_review_a_candidate_it_cannot_see(
    login, firms, make_round, reviewer, chain, liuzhou_reviewer, signers
):
    acme, _globex = firms
    round_ = screened(make_round(), reviewer)
    chain.review(round_)
    acme_cand = Candidate.objects.get(round=round_, organisation=acme, status=Candidate.Status.RECOMMENDED)
    body = {"rejected_ids": [acme_cand.pk], "vetoes": [{"candidate_id": acme_cand.pk, "reason": "不符合"}]}
    response = login(liuzhou_reviewer).post(
        f"/api/policy/rounds/{round_.pk}/joint-review", body, content_type="application/json"
    )
    assert response.status_code == 403
    acme_cand.refresh_from_db()
    assert acme_cand.status == Candidate.Status.RECOMMENDED
    # a department of the 联合会审 vetoes with a reason; a candidate of another round is "not found"
    other = Candidate.objects.exclude(round=round_).first()
    with pytest.raises(DomainError) as exc:
        services.do_joint_signoff(round_, acting_user=signers["tax"], vetoes={acme_cand.pk + 999: "x"})
    assert exc.value.status == 404 and other is None
    with pytest.raises(DomainError) as exc:
        services.do_joint_signoff(round_, acting_user=signers["tax"], vetoes={acme_cand.pk: " "})
    assert exc.value.status == 422
    services.do_joint_signoff(
        round_, acting_user=signers["tax"], vetoes={acme_cand.pk: "研发费用未经税务确认"}
    )
    with pytest.raises(DomainError) as exc:
        services.do_joint_signoff(round_, acting_user=signers["tax"])  # one signature per department
    assert exc.value.status == 409
    acme_cand.refresh_from_db()
    assert acme_cand.status == Candidate.Status.JOINT_REJECTED and "研发费用未经税务确认" in acme_cand.reason
    assert AuditEntry.objects.filter(action="policy.candidate.veto", target_id=str(acme_cand.pk)).exists()


def test_a_city_reviewer_cannot_create_a_fund_for_the_province_nor_a_budget_of_2_63(
    login, programme, liuzhou_reviewer
):
    with pytest.raises(PermissionDenied):
        services.do_create_fund(programme, "柳州自建资金", 2025, 100 * WAN, acting_user=liuzhou_reviewer)
    body = {
        "name": "柳州奖补",
        "policy_codes": ["rd_incremental"],
        "fund_year": 2025,
        "budget_fen": 2**63 - 1,
    }
    response = login(liuzhou_reviewer).post("/api/policy/programmes", body, content_type="application/json")
    assert response.status_code == 422
    assert not Programme.objects.filter(name="柳州奖补").exists()
    # within bounds, a city official's programme is its department's and its city's only
    fund = login(liuzhou_reviewer).post(
        "/api/policy/programmes", {**body, "budget_fen": 100 * WAN}, content_type="application/json"
    )
    created = Programme.objects.get(name="柳州奖补")
    assert fund.status_code == 200 and created.area_id == "450200"
    assert created.department_id == liuzhou_reviewer.organisation_id


def test_a_programme_and_its_fund_are_created_together_or_not_at_all(login, reviewer):
    body = {"name": "超大预算", "policy_codes": ["rd_incremental"], "fund_year": 2025, "budget_fen": 2**63}
    assert (
        login(reviewer).post("/api/policy/programmes", body, content_type="application/json").status_code
        == 422
    )
    with pytest.raises(DomainError) as exc:
        services.do_create_programme_with_fund(
            "超大预算", ["rd_incremental"], fund_year=2025, budget_fen=10**15 + 1, acting_user=reviewer
        )
    assert exc.value.status == 422
    with pytest.raises(DomainError):
        services.do_create_programme_with_fund(
            "超大预算", ["rd_incremental"], fund_year=99999, budget_fen=WAN, acting_user=reviewer
        )
    assert not Programme.objects.exists()


def test_officials_of_another_department_cannot_run_the_programme(programme, make_round, signers, fund):
    industry = signers["industry"]  # a provincial reviewer of 工信厅
    with pytest.raises(PermissionDenied):
        services.do_create_fund(programme, "x", 2025, WAN, acting_user=industry)
    round_ = make_round()
    with pytest.raises(PermissionDenied):
        services.do_screen_round(round_, acting_user=industry)
    assert (
        programme.department.department_type == "science" and round_.department_id == programme.department_id
    )


def test_city_officials_see_and_export_only_their_area(login, approved, local_reviewers, firms):
    acme, globex = firms
    rows = login(local_reviewers["qingxiu"]).get(reverse("policy:notice_xlsx", args=[approved.pk]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(rows.content)).active
    names = {sheet.cell(r, 3).value for r in range(2, sheet.max_row + 1)}
    assert names == {acme.name}
    api = login(local_reviewers["chengzhong"]).get(f"/api/policy/rounds/{approved.pk}/candidates").json()
    assert {c["organisation_id"] for c in api} == {globex.pk}


# ---- four eyes on money (issue 9 item 4) ------------------------------------------------------------------------


def test_one_person_cannot_approve_pay_and_reconcile_the_same_round(approved, approver, payer, reconciler):
    with pytest.raises(DomainError) as exc:
        services.do_create_payment_batch(approved, acting_user=approver)
    assert exc.value.status == 403
    batch = services.do_create_payment_batch(approved, acting_user=payer)
    for user in (approver, payer):
        with pytest.raises(DomainError) as exc:
            services.do_reconcile_batch(batch, bank_file(batch), "r.csv", acting_user=user)
        assert exc.value.status == 403
    services.do_reconcile_batch(batch, bank_file(batch), "r.csv", acting_user=reconciler)
    assert Payment.objects.filter(status="paid").count() == 2


def test_an_empty_failed_field_no_longer_marks_everything_paid(login, approved, payer, reconciler):
    services.do_create_payment_batch(approved, acting_user=payer)
    login(reconciler).post(reverse("policy:round_action", args=[approved.pk, "reconcile"]), {"failed": ""})
    login(reconciler).post(reverse("policy:round_reconcile", args=[approved.pk]), {})
    assert Payment.objects.filter(status="paid").count() == 0
    assert LedgerEntry.objects.filter(kind="payment").count() == 0


def test_the_bank_return_file_is_matched_and_every_mismatch_reported(
    login, firms, approved, payer, reconciler
):
    acme, _globex = firms
    # the payee's account as the registry holds it (identity changes go through reviewed change requests)
    Organisation.objects.filter(pk=acme.pk).update(bank_account="6222020000000001")
    batch = services.do_create_payment_batch(approved, acting_user=payer)
    first, second = batch.payments.order_by("organisation__city_id")
    assert first.organisation_id == acme.pk and first.account == "6222020000000001"
    content = bank_file(
        batch,
        override={
            first.reference: {"account": "6222020000009999"},  # paid to another account
            second.reference: {"amount": f"{second.amount_fen / 100 + 1:.2f}"},  # one 元 too much
        },
        extra_rows=[
            ("KC-NOT-OURS", "1", "10.00", "成功", "X1"),  # a reference the batch never had
            (second.reference, "", "1.00", "失败", "X2"),  # the same reference twice
            ("", "", "1", "成功", ""),  # no reference
        ],
    )
    report = services.do_reconcile_batch(batch, content, "回单.csv", acting_user=reconciler)
    kinds = sorted(m["kind"] for m in report.mismatches)
    assert kinds == ["bad_row", "duplicate", "duplicate", "unknown_reference", "wrong_account"]
    assert report.paid == 0 and Payment.objects.filter(status="pending").count() == 2
    batch.refresh_from_db()
    assert batch.status == "created"  # nothing is marked paid without a matching return
    # the corrected file: one paid, one failed; reading it twice changes nothing
    fixed = bank_file(
        batch,
        override={
            first.reference: {"account": "6222020000000001"},
            second.reference: {"status": "失败"},
        },
    )
    upload = io.BytesIO(fixed)
    upload.name = "回单2.csv"
    page = login(reconciler).post(reverse("policy:round_reconcile", args=[approved.pk]), {"file": upload})
    assert page.status_code == 302
    again = services.do_reconcile_batch(batch, fixed, "回单2.csv", acting_user=reconciler)
    assert again.paid == 1 and again.failed == 1
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    assert Payment.objects.get(pk=second.pk).status == "failed"
    batch.refresh_from_db()
    approved.refresh_from_db()
    assert batch.status == "reconciled" and approved.status == Round.Status.CLOSED
    # each payment's status change is audited with old and new values
    entry = AuditEntry.objects.get(action="policy.payment.reconcile", target_id=str(first.pk))
    assert entry.changes["status"] == ["pending", "paid"]


def test_the_bank_return_file_can_be_xlsx(approved, payer, reconciler):
    from kechuang.spreadsheets import write_xlsx

    batch = services.do_create_payment_batch(approved, acting_user=payer)
    rows = [[p.reference, p.account, p.amount_fen / 100, "success"] for p in batch.payments.order_by("id")]
    content = write_xlsx(["reference", "account", "amount", "status"], rows, "return")
    report = services.do_reconcile_batch(batch, content, "return.xlsx", acting_user=reconciler)
    assert report.paid == 2 and not report.mismatches


def test_every_candidate_award_and_approval_is_audited_with_old_and_new(approved):
    awards = AuditEntry.objects.filter(action="policy.candidate.award")
    assert awards.count() == 2
    assert {tuple(e.changes["awarded_fen"]) for e in awards} == {(0, 50 * WAN), (0, 120 * WAN)}
    approvals = AuditEntry.objects.filter(action="policy.candidate.approve")
    assert {e.changes["status"][1] for e in approvals} == {"approved"} and approvals.count() == 2


# ---- the review chain (issue 10 item 2) -------------------------------------------------------------------------


def test_approval_needs_the_finance_concurrence(
    firms, make_round, reviewer, chain, approver, finance_approver, payer
):
    round_ = screened(make_round(), reviewer)
    chain.to_notice(round_)
    end_notice(round_)
    with pytest.raises(StateError):
        services.do_approve_round(round_, acting_user=approver)
    with pytest.raises(PermissionDenied):
        services.do_concur_round(round_, acting_user=payer)  # an S&T approver is not the finance department
    services.do_concur_round(round_, acting_user=finance_approver)
    services.do_approve_round(round_, acting_user=approver)
    round_.refresh_from_db()
    assert round_.status == Round.Status.APPROVED and round_.finance_concurred_by == finance_approver


def test_the_same_person_cannot_do_the_county_and_the_city_review(
    firms, make_round, reviewer, local_reviewers
):
    acme, _globex = firms
    round_ = screened(make_round(), reviewer)
    cand = Candidate.objects.get(round=round_, organisation=acme, status=Candidate.Status.PENDING)
    nanning = local_reviewers["nanning"]
    services.do_county_review(cand, approve=True, acting_user=nanning)  # a city official for a county
    with pytest.raises(DomainError) as exc:
        services.do_city_review(cand, approve=True, acting_user=nanning)
    assert exc.value.status == 403
    assert services.do_city_review_all(round_, acting_user=nanning) == 0


def test_large_gaps_between_the_statistics_and_the_tax_rd_figures_are_flagged(
    firms, make_round, reviewer, chain
):
    acme, globex = firms
    # acme's 107-1 R&D figure (500万) against its tax-confirmed figure (400万): 20%, not flagged;
    # globex's: 500万 against 1600万, flagged
    round_ = screened(make_round(), reviewer)
    chain.review(round_)
    flagged = {
        c.organisation_id: c.data_flags for c in Candidate.objects.filter(round=round_, status="recommended")
    }
    assert flagged[acme.pk] == []
    assert flagged[globex.pk][0]["kind"] == "rd_gap" and flagged[globex.pk][0]["gap_bp"] == 6875
    assert "68.8%" in services.flag_text(flagged[globex.pk][0])


# ---- budgets as departments handle them (issue 10 item 4) -------------------------------------------------------


def test_a_short_budget_is_paid_in_batches_and_the_rest_carried_to_the_second(
    firms, make_round, reviewer, chain, fund
):
    acme, globex = firms
    record_indicators(acme, 2024, rd_super_deduction=400 * WAN + 99)  # computed amounts with 角分
    first = screened(make_round(budget=60 * WAN, name="首批"), reviewer)
    chain.to_notice(first)
    cands = {
        c.organisation_id: c for c in Candidate.objects.filter(round=first, status__in=["listed", "carried"])
    }
    assert cands[acme.pk].status == Candidate.Status.LISTED and cands[acme.pk].awarded_fen == 50 * WAN
    assert cands[globex.pk].status == Candidate.Status.CARRIED and cands[globex.pk].awarded_fen == 0
    second = services.do_create_round(
        fund,
        "第二批",
        year=2024,
        budget_fen=200 * WAN,
        carried_from=first,
        notice_days=5,
        acting_user=reviewer,
    )
    assert second.status == Round.Status.CITY_REVIEW and second.budget_year == fund.year == 2025
    [carried] = Candidate.objects.filter(round=second)
    assert carried.organisation_id == globex.pk and carried.status == Candidate.Status.RECOMMENDED
    with pytest.raises(DomainError):  # carried only once
        services.do_create_round(
            fund, "又一批", year=2024, budget_fen=WAN, carried_from=first, acting_user=reviewer
        )
    services.do_start_joint_review(second, acting_user=reviewer)
    chain.sign(second)
    services.do_complete_joint_review(second, acting_user=reviewer)
    carried.refresh_from_db()
    assert carried.status == Candidate.Status.LISTED and carried.awarded_fen == 120 * WAN


def test_amounts_are_whole_yuan(firms, make_round, reviewer, chain):
    acme, _globex = firms
    record_indicators(acme, 2023, rd_super_deduction=300 * WAN)
    record_indicators(acme, 2024, rd_super_deduction=300 * WAN + 12_345)  # a high-tech reward in 角分
    round_ = screened(make_round(), reviewer)
    chain.to_notice(round_)
    for c in Candidate.objects.filter(round=round_, status=Candidate.Status.LISTED):
        assert c.awarded_fen % 100 == 0 and c.computed_fen - c.awarded_fen < 100


def test_data_year_and_budget_year_are_separate_and_bounded(fund, reviewer):
    round_ = services.do_create_round(
        fund, "2024年数据，2025年预算", year=2024, budget_year=2025, budget_fen=WAN, acting_user=reviewer
    )
    assert (round_.year, round_.budget_year) == (2024, 2025)
    for bad in ({"year": 0}, {"year": 2024, "budget_year": 2023}, {"year": 2024, "budget_fen": 10**15 + 1}):
        with pytest.raises(DomainError):
            services.do_create_round(fund, "x", **{"budget_fen": WAN, **bad}, acting_user=reviewer)


def test_a_round_can_be_cancelled_before_approval_releasing_its_budget(fund, make_round, reviewer, approved):
    draft = make_round(budget=8_000 * WAN, name="空批次")
    with pytest.raises(DomainError):
        make_round(budget=2_000 * WAN, name="放不下")
    with pytest.raises(DomainError):
        services.do_cancel_round(draft, reason="", acting_user=reviewer)
    services.do_cancel_round(draft, reason="年度选错", acting_user=reviewer)
    make_round(budget=2_000 * WAN, name="放得下")  # the cancelled round's budget is free again
    with pytest.raises(StateError):
        services.do_cancel_round(approved, reason="x", acting_user=reviewer)  # decided: no
    assert AuditEntry.objects.get(action="policy.round.cancel").changes["released_fen"] == [None, 8_000 * WAN]


def test_statistics_and_leverage_per_programme(
    login, firms, make_round, reviewer, chain, approved, payer, reconciler
):
    batch = services.do_create_payment_batch(approved, acting_user=payer)
    services.do_reconcile_batch(batch, bank_file(batch), "r.csv", acting_user=reconciler)
    other = services.do_create_programme_with_fund(
        "高新技术企业认定奖励",
        ["hightech_new_reward"],
        fund_year=2025,
        budget_fen=100 * WAN,
        acting_user=reviewer,
    )
    stats = login(reviewer).get("/api/policy/statistics").json()
    [row] = stats["programmes"]
    assert row["label"] == "企业研发经费投入财政奖补" and row["leverage"] == "5.9"
    assert other.programme.name not in {r["label"] for r in stats["programmes"]}  # nothing paid yet


def test_allocation_rule_whole_yuan_in_order():
    assert services.allocate([(1, 12_345), (2, 99_999), (3, 100)], 10**6, "batches") == (
        {1: 12_300, 2: 99_900, 3: 100},
        [],
    )
    # short: full amounts in order; from the first that does not fit on, everyone waits for the next batch
    assert services.allocate([(1, 5_000), (2, 9_000), (3, 100)], 10_000, "batches") == ({1: 5_000}, [2, 3])
    shares, carried = services.allocate([(1, 5_050), (2, 9_000)], 10_000, "prorate")
    assert not carried and sum(shares.values()) == 10_000 and all(v % 100 == 0 for v in shares.values())


def test_the_workbench_shows_each_level_its_next_step(
    firms, make_round, reviewer, chain, local_reviewers, signers, finance_approver
):
    from kechuang.web.workbench import todos_for

    def titles(user):
        return " ".join(t.title for t in todos_for(user) if t.area == "policy")

    round_ = screened(make_round(), reviewer)
    assert "1 家企业待区县初审" in titles(local_reviewers["qingxiu"])
    assert "待区县初审" not in titles(signers["tax"])
    chain.review(round_)
    assert "待本部门联合会审签署" in titles(signers["tax"])
    chain.sign(round_)
    services.do_complete_joint_review(round_, acting_user=reviewer)
    assert "待财政会签" in titles(finance_approver)
    assert "待本部门联合会审签署" not in titles(signers["tax"])


def test_a_city_programme_is_run_and_seen_in_its_city_only(
    login, firms, liuzhou_reviewer, reviewer, alice, bob
):
    acme, globex = firms
    fund = services.do_create_programme_with_fund(
        "柳州市研发奖补",
        ["rd_incremental"],
        fund_year=2025,
        budget_fen=100 * WAN,
        acting_user=liuzhou_reviewer,
    )
    round_ = services.do_create_round(
        fund, "柳州依申请", year=2024, budget_fen=50 * WAN, mode="apply", acting_user=liuzhou_reviewer
    )
    assert round_.area_id == "450200" and round_.department_id == liuzhou_reviewer.organisation_id
    assert "柳州依申请" in login(bob).get(reverse("policy:round_list")).content.decode()
    assert "柳州依申请" not in login(alice).get(reverse("policy:round_list")).content.decode()
    with pytest.raises(DomainError):
        services.do_add_candidate(round_, acme, "rd_incremental", applied=True, acting_user=alice)
    services.do_add_candidate(round_, globex, "rd_incremental", applied=True, acting_user=bob)
    services.do_close_applications(round_, acting_user=liuzhou_reviewer)


def test_a_city_official_cannot_open_the_job_page_of_a_region_wide_screening(
    login, firms, make_round, reviewer, liuzhou_reviewer
):
    round_ = make_round()
    run = services.do_screen_round(round_, acting_user=reviewer)
    assert login(reviewer).get(reverse("jobs:detail", args=[run.job_id])).status_code == 200
    assert login(liuzhou_reviewer).get(reverse("jobs:detail", args=[run.job_id])).status_code == 404
    assert login(liuzhou_reviewer).get(f"/api/jobs/{run.job_id}").status_code == 404
