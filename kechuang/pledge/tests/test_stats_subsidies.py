import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kechuang.pledge import services, stats, subsidies
from kechuang.pledge.models import CooperationModel, LoanApplication
from kechuang.pledge.tests.conftest import add_patent, publish_product


def test_growth_is_rounded_to_one_decimal_like_the_published_figure():
    assert stats.growth_percent(259, 184) == stats.Decimal("40.8")
    assert stats.growth_percent(5, 0) is None
    assert stats.growth_percent(90, 100) == stats.Decimal("-10.0")


def make_loan(user, banker, *, registered_on, amount_fen=1_000_000_00, patents=1):
    offered = [add_patent(user) for _ in range(patents)]
    need = services.do_publish_need(
        acting_user=user,
        amount_fen=amount_fen,
        term_months=12,
        purpose="设备",
        patent_ids=[p.pk for p in offered],
    )
    product = publish_product(banker, requires_valuation=False)
    app = services.do_apply(need, product, acting_user=user, cooperation_model=CooperationModel.BANK)
    services.do_approve_credit(
        app, acting_user=banker, amount_fen=amount_fen, rate_bp=400, approved_on=registered_on
    )
    services.do_register_pledge(
        app, acting_user=banker, registration_number=f"Y{registered_on}", registered_on=registered_on
    )
    return app


def test_annual_report_counts_patents_enterprises_amounts_and_growth(
    alice, bob, banker, other_banker, reviewer, liuzhou_reviewer
):
    this_year = dt.date.today().year
    make_loan(alice, banker, registered_on=dt.date(this_year - 1, 5, 1), amount_fen=1_000_000_00)
    make_loan(alice, banker, registered_on=dt.date(this_year, 3, 1), amount_fen=2_000_000_00, patents=2)
    make_loan(bob, other_banker, registered_on=dt.date(this_year, 4, 1), amount_fen=500_000_00)
    from kechuang.permissions.pledge import visible_applications

    report = stats.annual_report(visible_applications(reviewer), this_year)
    assert report["current"]["patents"] == 3 and report["previous"]["patents"] == 1
    assert report["current"]["enterprises"] == 2 and report["current"]["amount_fen"] == 2_500_000_00
    assert report["growth"]["patents"] == stats.Decimal("200.0") and report["growth"][
        "amount_fen"
    ] == stats.Decimal("150.0")
    assert {r["label"]: r["amount_fen"] for r in report["by_bank"]} == {
        "工商银行广西分行": 2_000_000_00,
        "交通银行广西分行": 500_000_00,
    }
    assert {r["key"] for r in report["by_city"]} == {"450100", "450200"}
    assert report["by_model"][0]["label"] == "银行+企业"
    # a Liuzhou official sees only Liuzhou
    liuzhou = stats.annual_report(visible_applications(liuzhou_reviewer), this_year)
    assert liuzhou["current"]["enterprises"] == 1 and liuzhou["current"]["amount_fen"] == 500_000_00
    book = load_workbook(io.BytesIO(stats.annual_report_xlsx(report)))
    assert [ws.title for ws in book.worksheets] == ["汇总", "按银行", "按合作模式", "按城市", "按行业门类"]
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert summary[1][:4] == ("质押专利数", 3, 1, 200)


def test_report_query_count_does_not_grow_with_loans(alice, banker, reviewer):
    from kechuang.permissions.pledge import visible_applications

    year = dt.date.today().year
    make_loan(alice, banker, registered_on=dt.date(year, 1, 10))
    with CaptureQueriesContext(connection) as one:
        stats.annual_report(visible_applications(reviewer), year)
    for day in (11, 12, 13):
        make_loan(alice, banker, registered_on=dt.date(year, 1, day))
    with CaptureQueriesContext(connection) as four:
        stats.annual_report(visible_applications(reviewer), year)
    assert len(four) == len(one)


def test_subsidies_come_from_the_policy_files_with_cap_and_trace(application, banker, picc):
    """Rates, caps and documents have one home: the pledge_*_subsidy policy files (50%, caps 50/10/20/20万)."""
    from kechuang.pledge.tests.conftest import run_to_disbursed

    year = dt.date.today().year
    app = run_to_disbursed(application, banker, picc)  # valuation fee 30,000 元, premium 20,000 元
    services.do_record_repayment(app, acting_user=banker, principal_fen=0, interest_fen=333_333)
    results = {r.kind: r for r in subsidies.compute_subsidies(app.enterprise_id, year)}
    interest = results["interest"]
    assert interest.base_fen == 333_333 and interest.amount_fen == 166_666  # 50%, rounded down to the fen
    assert interest.rate_bp == 5000 and interest.cap_fen == 50_000_000
    assert not interest.verified and "pledge_interest_subsidy" in interest.trace[-1]
    assert results["valuation"].amount_fen == 15_000_00 and results["insurance"].amount_fen == 10_000_00
    assert results["guarantee"].amount_fen == 0
    rows = subsidies.payout_candidates(year)
    assert rows[0]["enterprise_id"] == app.enterprise_id
    assert rows[0]["total_fen"] == 166_666 + 15_000_00 + 10_000_00
    assert subsidies.compute_subsidies(app.enterprise_id, year - 1)[0].amount_fen == 0
    assert LoanApplication.objects.count() == 1


def test_no_subsidy_on_loans_never_disbursed(application, banker, picc, alice):
    """A loan valued and approved, then withdrawn (or rejected), was never disbursed: no fee subsidy."""
    year = dt.date.today().year
    services.do_record_valuation(
        application,
        acting_user=banker,
        method="income",
        valuer="广西中联资产评估",
        report="桂评报字〔2026〕13号",
        valuation_fen=5_000_000_00,
        fee_fen=30_000_00,
    )
    services.do_withdraw(application, acting_user=alice)
    assert all(r.amount_fen == 0 for r in subsidies.compute_subsidies(application.enterprise_id, year))
    assert subsidies.payout_candidates(year) == []


def test_interest_of_a_defaulted_loan_is_not_subsidised(application, banker, picc):
    from kechuang.pledge.tests.conftest import run_to_disbursed

    year = dt.date.today().year
    app = run_to_disbursed(application, banker, picc)
    services.do_record_repayment(app, acting_user=banker, principal_fen=0, interest_fen=100_000)
    assert subsidies.subsidy_bases(app.enterprise_id, year)["interest"] == [(app.pk, 100_000)]
    services.do_declare_default(app, acting_user=banker, note="逾期90天")
    # the year of the default: interest was not paid on time, so none of it is subsidised
    assert subsidies.subsidy_bases(app.enterprise_id, year)["interest"] == []
    interest = {r.kind: r for r in subsidies.compute_subsidies(app.enterprise_id, year)}["interest"]
    assert interest.amount_fen == 0
