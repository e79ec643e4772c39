"""The payout workflow end to end through the real services, and who may not do what."""

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, StateError
from kechuang.jobs.queue import run_pending
from kechuang.policy import services
from kechuang.policy.models import Candidate, LedgerEntry, Objection, Payment, Round, ScreeningResult
from kechuang.policy.tests.conftest import WAN, bank_file, end_notice

pytestmark = pytest.mark.django_db


def screened(round_, reviewer):
    run = services.do_screen_round(round_, acting_user=reviewer)
    [job] = run_pending()
    assert job.status == "succeeded", job.error
    run.refresh_from_db()
    round_.refresh_from_db()
    return run


def test_full_round_screen_review_notice_approve_pay(
    firms,
    make_round,
    reviewer,
    local_reviewers,
    signers,
    finance_approver,
    approver,
    payer,
    reconciler,
    bob,
    alice,
):
    acme, globex = firms
    round_ = make_round()
    run = screened(round_, reviewer)
    assert run.status == "done" and round_.status == Round.Status.CITY_REVIEW
    assert ScreeningResult.objects.filter(
        run=run, organisation=acme, policy_code="rd_incremental", status=1
    ).exists()

    cands = {(c.organisation_id, c.policy_code): c for c in Candidate.objects.filter(round=round_)}
    # acme: incremental 100万×20% = 20万 vs high-tech 400万×20% = 80万 capped at 50万 → high-tech wins (从优从高)
    acme_cand = cands[(acme.pk, "rd_hightech_gazelle")]
    assert acme_cand.status == Candidate.Status.PENDING
    loser = cands[(acme.pk, "rd_incremental")]
    assert loser.status == Candidate.Status.SUPERSEDED and "从优从高" in loser.reason
    # globex: increment 600万 × 20% = 120万
    assert cands[(globex.pk, "rd_incremental")].computed_fen == 120 * WAN
    assert cands[(globex.pk, "rd_incremental")].trace[-1]["amount"] == 120 * WAN

    # 区县初审: each county's reviewer only for its county; the city cannot recommend before it
    with pytest.raises(PermissionDenied):
        services.do_county_review(acme_cand, approve=True, acting_user=local_reviewers["chengzhong"])
    with pytest.raises(StateError):
        services.do_city_review(acme_cand, approve=True, acting_user=local_reviewers["nanning"])
    services.do_county_review(acme_cand, approve=True, acting_user=local_reviewers["qingxiu"])
    assert services.do_county_review_all(round_, acting_user=local_reviewers["chengzhong"]) == 1
    # 市级推荐: a Liuzhou reviewer only for Liuzhou firms; a county reviewer is not a city reviewer
    with pytest.raises(PermissionDenied):
        services.do_city_review(acme_cand, approve=True, acting_user=local_reviewers["liuzhou"])
    with pytest.raises(PermissionDenied):
        services.do_city_review(acme_cand, approve=True, acting_user=local_reviewers["qingxiu"])
    assert services.do_city_review_all(round_, acting_user=local_reviewers["liuzhou"]) == 1
    with pytest.raises(StateError):
        services.do_start_joint_review(round_, acting_user=reviewer)  # acme not yet recommended
    services.do_city_review(acme_cand, approve=True, acting_user=local_reviewers["nanning"])
    services.do_start_joint_review(round_, acting_user=reviewer)

    # 联合会审: the five departments sign; completing before all have signed is refused
    for kind in ("science", "finance", "industry", "tax"):
        services.do_joint_signoff(round_, acting_user=signers[kind])
    with pytest.raises(StateError):
        services.do_complete_joint_review(round_, acting_user=reviewer)
    services.do_joint_signoff(round_, acting_user=signers["statistics"])
    services.do_complete_joint_review(round_, acting_user=reviewer)
    round_.refresh_from_db()
    assert round_.status == Round.Status.NOTICE and not round_.prorated

    listed = Candidate.objects.get(round=round_, organisation=acme, status=Candidate.Status.LISTED)
    objection = services.do_raise_objection(listed, "该企业研发数据存疑", acting_user=bob)
    services.do_concur_round(round_, acting_user=finance_approver)
    with pytest.raises(StateError):
        services.do_approve_round(round_, acting_user=approver)  # the 公示 has not ended
    end_notice(round_)
    with pytest.raises(StateError):
        services.do_approve_round(round_, acting_user=approver)  # open objection
    services.do_resolve_objection(objection, upheld=False, resolution="经核实数据无误", acting_user=reviewer)
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.DISMISSED

    with pytest.raises(PermissionDenied):
        services.do_approve_round(round_, acting_user=reviewer)
    services.do_approve_round(round_, acting_user=approver)
    services.do_approve_round(round_, acting_user=approver)  # double click: nothing changes
    assert AuditEntry.objects.filter(action="policy.round.approve").count() == 1

    batch = services.do_create_payment_batch(round_, acting_user=payer)
    again = services.do_create_payment_batch(round_, acting_user=payer)
    assert batch.pk == again.pk and batch.total_fen == 170 * WAN
    assert Payment.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.do_reconcile_batch(batch, bank_file(batch), "r.csv", acting_user=alice)
    services.do_reconcile_batch(batch, bank_file(batch), "r.csv", acting_user=reconciler)
    services.do_reconcile_batch(batch, bank_file(batch), "r.csv", acting_user=reconciler)  # retry: no change
    assert LedgerEntry.objects.filter(kind="payment").count() == 2
    assert services.fund_balance(round_.fund) == (10_000 - 170) * WAN
    assert set(
        Candidate.objects.filter(round=round_, status=Candidate.Status.PAID).values_list(
            "organisation_id", flat=True
        )
    ) == {acme.pk, globex.pk}
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED


def test_short_budget_prorated_in_whole_yuan(firms, make_round, reviewer, chain):
    round_ = make_round(budget=100 * WAN + 1, allocation="prorate")  # requests 50万 + 120万 = 170万
    screened(round_, reviewer)
    chain.to_notice(round_)
    listed = list(Candidate.objects.filter(round=round_, status=Candidate.Status.LISTED))
    assert round_.prorated and sum(c.awarded_fen for c in listed) == 100 * WAN  # the odd fen is not paid
    assert all(c.awarded_fen <= c.computed_fen and c.awarded_fen % 100 == 0 for c in listed)


def test_second_round_does_not_pay_the_same_thing_twice(firms, make_round, reviewer):
    first = make_round(name="第一批")
    screened(first, reviewer)
    second = make_round(name="第二批")
    screened(second, reviewer)
    dupes = Candidate.objects.filter(round=second, status=Candidate.Status.DUPLICATE)
    assert dupes.count() == 2 and all("第一批" in c.reason for c in dupes)


def test_budget_and_state_guards(fund, make_round, reviewer, alice, approver):
    with pytest.raises(DomainError) as exc:
        make_round(budget=20_000 * WAN)
    assert exc.value.code == "budget_exceeded"
    round_ = make_round()
    with pytest.raises(PermissionDenied):
        services.do_screen_round(round_, acting_user=alice)
    with pytest.raises(StateError):
        services.do_approve_round(round_, acting_user=approver)
    with pytest.raises(StateError):
        services.do_create_payment_batch(round_, acting_user=approver)


def test_application_round_uses_the_same_calculation(firms, make_round, reviewer, alice, bob):
    acme, globex = firms
    round_ = make_round(mode="apply")
    cand = services.do_add_candidate(round_, acme, "rd_incremental", applied=True, acting_user=alice)
    assert cand.computed_fen == 20 * WAN and cand.status == Candidate.Status.PENDING
    better = services.do_add_candidate(round_, acme, "rd_hightech_gazelle", applied=True, acting_user=alice)
    cand.refresh_from_db()
    assert better.status == Candidate.Status.PENDING and cand.status == Candidate.Status.SUPERSEDED
    with pytest.raises(PermissionDenied):
        services.do_add_candidate(round_, acme, "rd_special", applied=True, acting_user=bob)  # not bob's firm
    with pytest.raises(DomainError) as exc:
        services.do_add_candidate(round_, acme, "rd_special", applied=True, acting_user=alice)
    assert "不符合" in str(exc.value.message)
    calc = services.calculate_for_organisation(acme, 2024, codes=["rd_incremental"])[0]
    assert calc.result.amount == cand.computed_fen  # the calculator preview equals the payout amount
    services.do_close_applications(round_, acting_user=reviewer)
    round_.refresh_from_db()
    assert round_.status == Round.Status.CITY_REVIEW


def test_parameter_change_for_a_future_date_is_audited(admin_user, reviewer):
    import datetime as dt

    from django.utils import timezone

    future = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(PermissionDenied):
        services.do_schedule_parameter_change(
            "rd_special", "cap", "400万", future, document_no="测试", acting_user=reviewer
        )
    with pytest.raises(DomainError):
        services.do_schedule_parameter_change(
            "rd_special", "cap", "400万", timezone.localdate(), document_no="测试", acting_user=admin_user
        )
    change = services.do_schedule_parameter_change(
        "rd_special", "cap", "400万", future, document_no="桂科〔2026〕1号", acting_user=admin_user
    )
    assert change.value == 400 * WAN
    entry = AuditEntry.objects.get(action="policy.param.schedule")
    assert entry.changes == {f"rd_special.cap@{future}": [300 * WAN, 400 * WAN]}
    _, policy = services.get_current_policy("rd_special")
    assert policy.params_for(future.year + 1)["cap"].value == 400 * WAN
    with pytest.raises(DomainError):
        services.do_schedule_parameter_change(
            "rd_special", "cap", "500万", future, document_no="x", acting_user=admin_user
        )


def test_evaluate_policy_entry_point_for_other_modules(db):
    result = services.evaluate_policy(
        "equity_enterprise",
        {"is_enterprise": 1, "paid_before": 0, "equity_received": 1000 * WAN, "guidance_fund_involved": 0},
        year=2024,
    )
    assert result.eligible and result.amount == 10 * WAN
    unknown = services.evaluate_policy(
        "equity_enterprise", {"is_enterprise": 1, "paid_before": 0, "equity_received": 1000 * WAN}, year=2024
    )
    assert unknown.status_name == "not_computable"  # no word on a guidance fund is not "none"


def test_a_failed_screening_can_be_retried_but_a_running_one_cannot(firms, make_round, reviewer):
    from kechuang.policy.models import ScreeningRun

    round_ = make_round()
    run = services.do_screen_round(round_, acting_user=reviewer)
    with pytest.raises(StateError):
        services.do_screen_round(round_, acting_user=reviewer)  # queued: a double click starts nothing
    ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.FAILED)
    retry = services.do_screen_round(round_, acting_user=reviewer)
    assert retry.pk != run.pk
