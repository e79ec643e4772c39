"""Benefits: the yearly check continues or stops them, leaving computes the recovery, 从高不重复 across programmes,
and the money goes through the policy payout workflow (round, reviews, notice, approval, batch, bank return) and is
settled back onto the instalments."""

import datetime as dt

import pytest

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


def _talent_round(reviewer, year, budget):
    programme = policy.do_create_programme("高层次人才待遇", ["talent_benefit"], acting_user=reviewer)
    fund = policy.do_create_fund(programme, f"{year}年人才待遇资金", year, budget, acting_user=reviewer)
    return policy.do_create_round(
        fund, f"{year}年度人才待遇", year=year, budget_fen=budget, mode="apply", acting_user=reviewer
    )


def test_benefits_are_paid_to_the_person_and_the_employer_and_settled(
    recognise, alice, reviewer, chain, acme, signers
):
    import io

    from openpyxl import load_workbook

    from kechuang.policy.exports import payment_export
    from kechuang.registry.models import DepartmentType

    def read_xlsx_rows(content):
        return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))

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
    round_ = _talent_round(reviewer, year, due * 2)
    # no account recorded for the person: nothing of the employer goes on the round, the name is given
    refused = services.do_add_benefits_to_round(year, round_, acting_user=reviewer)
    assert refused["candidates"] == 0 and refused["missing_accounts"] == [
        {"employer": acme.name, "people": ["人才1"]}
    ]
    services.do_set_payee_account(
        app.person,
        employer=acme,
        acting_user=alice,
        bank_name="中国工商银行南宁分行",
        bank_account="6222021234567890123",
    )
    added = services.do_add_benefits_to_round(year, round_, acting_user=reviewer)
    assert added["candidates"] == 2 and added["missing_accounts"] == []
    person_line = round_.candidates.get(payee_key=f"talent.person:{app.person_id}")
    employer_line = round_.candidates.get(payee_key="talent.employer")
    personal = sum(
        i.amount_fen
        for i in Instalment.objects.filter(
            schedule__application=app, schedule__kind__in=("living", "settling"), year=year
        )
    )
    assert (person_line.computed_fen, person_line.payee_name, person_line.payee_account) == (
        personal,
        "人才1",
        "6222021234567890123",
    )
    assert employer_line.computed_fen == due - personal and employer_line.payee_account == ""
    policy.do_close_applications(round_, acting_user=reviewer)
    chain.to_notice(round_)
    chain.approve(round_)
    batch = chain.pay(round_)
    payments = {p.payee_key: p for p in batch.payments.all()}
    person_payment = payments[f"talent.person:{app.person_id}"]
    assert person_payment.amount_fen == personal and person_payment.account == "6222021234567890123"
    assert person_payment.payee_name == "人才1" and person_payment.payee_id_masked == app.person.id_masked
    assert payments["talent.employer"].payee_name == acme.name
    # the payment file: the person's row with the masked ID number; the full account only for the talent office
    rows = {r[1]: r for r in read_xlsx_rows(payment_export(batch, reviewer))}
    assert rows[person_payment.reference][5] == "6222021234567890123"
    assert rows[person_payment.reference][-1] == app.person.id_masked and "*" in app.person.id_masked
    finance = signers[DepartmentType.FINANCE]  # another department's official: the last four digits only
    rows = {r[1]: r for r in read_xlsx_rows(payment_export(batch, finance))}
    assert rows[person_payment.reference][5] == "*" * 15 + "0123"
    settled = services.do_settle_benefits(year, acting_user=reviewer)
    assert settled["mismatches"] == [] and settled["settled"] == 3
    assert Instalment.objects.filter(schedule__application=app, year=year, state="paid").count() == 3
    # a second hand-over the same year finds nothing left to hand over
    again = services.do_publish_benefits(year, acting_user=reviewer)
    assert again["skipped_employers"] == 0 and again["instalments"] == 0


def test_a_person_is_not_put_on_a_second_round_for_the_same_year(recognise, alice, reviewer, acme):
    app = recognise(1)
    year = app.recognised_on.year
    services.do_set_payee_account(
        app.person, employer=acme, acting_user=alice, bank_name="中国银行", bank_account="6216611234567890"
    )
    services.do_publish_benefits(year, acting_user=reviewer)
    first = _talent_round(reviewer, year, 10**10)
    assert services.do_add_benefits_to_round(year, first, acting_user=reviewer)["candidates"] == 2
    second = _talent_round(reviewer, year, 10**10)
    assert services.do_add_benefits_to_round(year, second, acting_user=reviewer)["candidates"] == 0
    later = recognise(2)  # recognised after the hand-over, same employer, same year: waits for the next one
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
