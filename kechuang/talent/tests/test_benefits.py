"""Benefits: the yearly check continues or stops them, leaving computes the recovery, 从高不重复 across programmes,
and the money goes through the policy payout workflow (round, reviews, notice, approval, batch, bank return) and is
settled back onto the instalments."""

import datetime as dt

import pytest

from kechuang.jobs.queue import run_pending
from kechuang.policy import services as policy
from kechuang.registry.models import IndicatorValue
from kechuang.talent import services
from kechuang.talent.models import BenefitSchedule, ComplianceReport, Instalment, RecoveryOrder, Status
from kechuang.talent.services import bagui
from kechuang.talent.tests.conftest import TODAY, id_number

pytestmark = pytest.mark.django_db


def test_failed_yearly_check_stops_later_instalments(recognise, alice, reviewer):
    app = recognise(1)
    year = app.recognised_on.year
    services.do_report_compliance(
        app, acting_user=alice, year=year, employed=True, social_insurance_months=3, tax_months=12
    )
    summary = services.do_run_compliance(year, acting_user=reviewer)
    assert summary["failed"] == 1 and summary["passed"] == 0
    report = ComplianceReport.objects.get(application=app, year=year)
    assert report.outcome == "failed" and "社保" in report.reason
    later = Instalment.objects.filter(schedule__application=app, year__gt=year)
    assert later.exists() and not later.exclude(state="cancelled").exists()
    assert not BenefitSchedule.objects.filter(application=app, state="active").exists()
    # the first year's instalments stay payable
    assert Instalment.objects.filter(schedule__application=app, year=year, state="scheduled").count() == 3


def test_passed_check_makes_next_years_instalments_due(recognise, alice, reviewer):
    app = recognise(1)
    year = app.recognised_on.year
    due_next = services.due_instalments(year + 1).filter(schedule__application=app)
    assert not due_next.filter(year=year + 1).exists()  # waits for the check
    services.do_report_compliance(
        app, acting_user=alice, year=year, employed=True, social_insurance_months=12, tax_months=12
    )
    services.do_run_compliance(year, acting_user=reviewer)
    assert services.due_instalments(year + 1).filter(schedule__application=app, year=year + 1).count() == 3


def test_leaving_early_stops_payments_and_recovers_the_settling_allowance_pro_rata(recognise, alice):
    app = recognise(1)
    settling = BenefitSchedule.objects.get(application=app, kind="settling")
    first = settling.instalments.get(index=1)
    Instalment.objects.filter(pk=first.pk).update(state=Instalment.State.PAID)
    # the person started 25 whole months ago (of the 60 committed) and leaves today
    started = TODAY - dt.timedelta(days=365 * 2 + 40)
    type(app).objects.filter(pk=app.pk).update(contract_start=started)
    app.refresh_from_db()
    left_on = TODAY
    order = services.do_report_leaving(app, acting_user=alice, left_on=left_on)
    app.refresh_from_db()
    assert app.status == Status.LEFT
    from kechuang.talent.benefits import months_between

    unserved = 60 - months_between(started, left_on)
    assert order.amount_fen == first.amount_fen * unserved // 60
    assert str(unserved) in order.explanation and "60" in order.explanation
    assert not Instalment.objects.filter(schedule__application=app, state="scheduled").exists()
    assert RecoveryOrder.objects.filter(application=app).count() == 1


def test_highest_not_twice_across_talent_and_bagui(recognise, alice, reviewer, scholar):
    app = recognise(1, level="E", credential="doctor_senior_title")  # living 30万
    post = bagui.do_apply_post(
        acting_user=alice,
        title="甘蔗育种首席",
        discipline="作物遗传育种",
        field="natural",
        team="甘蔗育种团队 12 人，含博士 5 人，国家甘蔗产业技术体系岗位",
        matching_fen=100_000_000,
    )
    appt = scholar(post, reviewer, "人才1", id_number(1))
    bagui.do_decide(appt, acting_user=reviewer, document="桂人才领〔2026〕3号", start=TODAY)
    appt.refresh_from_db()
    bagui.do_contract(
        appt,
        acting_user=reviewer,
        start=TODAY,
        task_sheet="五年内育成甘蔗新品种3个，推广100万亩。",
        today=appt.notice_end + dt.timedelta(days=1),
    )
    talent_living = BenefitSchedule.objects.get(application=app, kind="living")
    bagui_living = BenefitSchedule.objects.get(appointment=appt, kind="living")
    assert talent_living.state == "superseded" and "从高不重复" in talent_living.reason
    assert bagui_living.state == "active" and bagui_living.total_fen == 100_000_000
    # settling-in: talent E 50万 against 八桂学者 100万 → the 八桂学者 one
    assert BenefitSchedule.objects.get(application=app, kind="settling").state == "superseded"
    # research funding is not exclusive: both stay
    assert BenefitSchedule.objects.get(application=app, kind="research").state == "active"


def test_benefits_are_paid_through_the_payout_workflow_and_settled(recognise, reviewer, chain, acme):
    app = recognise(1)
    year = app.recognised_on.year
    due = sum(services.due_instalments(year).values_list("amount_fen", flat=True))
    published = services.do_publish_benefits(year, acting_user=reviewer)
    assert published["employers"] == 1 and published["total_fen"] == due
    assert (
        IndicatorValue.objects.get(
            organisation=acme, indicator_id="talent_benefit_due", year=year, is_current=True
        ).value
        == due
    )
    programme = policy.do_create_programme("高层次人才待遇", ["talent_benefit"], acting_user=reviewer)
    fund = policy.do_create_fund(programme, f"{year}年人才待遇资金", year, due * 2, acting_user=reviewer)
    round_ = policy.do_create_round(
        fund, f"{year}年度人才待遇", year=year, budget_fen=due * 2, acting_user=reviewer
    )
    policy.do_screen_round(round_, acting_user=reviewer)
    run_pending()
    round_.refresh_from_db()
    [candidate] = round_.candidates.all()
    assert candidate.organisation_id == acme.pk and candidate.computed_fen == due
    chain.to_notice(round_)
    chain.approve(round_)
    batch = chain.pay(round_)
    assert batch.payments.get().amount_fen == due
    settled = services.do_settle_benefits(year, acting_user=reviewer)
    assert settled["mismatches"] == [] and settled["settled"] == 3
    assert Instalment.objects.filter(schedule__application=app, year=year, state="paid").count() == 3
    # a second hand-over the same year skips the employer already paid
    again = services.do_publish_benefits(year, acting_user=reviewer)
    assert again["skipped_employers"] == 0 and again["instalments"] == 0


def test_publishing_skips_an_employer_already_paid_this_year(recognise, reviewer, apply_for, qingxiu, acme):
    from kechuang.policy.models import Candidate

    app = recognise(1)
    year = app.recognised_on.year
    services.do_publish_benefits(year, acting_user=reviewer)
    programme = policy.do_create_programme("高层次人才待遇", ["talent_benefit"], acting_user=reviewer)
    fund = policy.do_create_fund(programme, "资金", year, 10**10, acting_user=reviewer)
    round_ = policy.do_create_round(fund, "批次", year=year, budget_fen=10**10, acting_user=reviewer)
    policy.do_screen_round(round_, acting_user=reviewer)
    run_pending()
    assert Candidate.objects.filter(round=round_).count() == 1
    later = recognise(2)  # recognised after the hand-over, same employer, same year
    summary = services.do_publish_benefits(year, acting_user=reviewer)
    assert summary["skipped_employers"] == 1 and summary["instalments"] == 0
    assert Instalment.objects.filter(schedule__application=later, state="scheduled", year=year).count() == 3


def test_the_fast_due_rows_agree_with_the_queryset(recognise, alice, reviewer):
    apps = [recognise(i) for i in range(1, 4)]
    year = apps[0].recognised_on.year
    services.do_report_compliance(
        apps[0], acting_user=alice, year=year, employed=True, social_insurance_months=12, tax_months=12
    )
    services.do_report_compliance(
        apps[1], acting_user=alice, year=year, employed=False, social_insurance_months=12, tax_months=12
    )
    services.do_run_compliance(year, acting_user=reviewer)
    for y in (year, year + 1, year + 2):
        fast = sorted(pk for pk, _employer in services.due_rows(y))
        assert fast == sorted(services.due_instalments(y).values_list("pk", flat=True)), y
