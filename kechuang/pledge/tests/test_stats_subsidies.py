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


def test_subsidies_follow_versioned_parameters_caps_and_trace(application, banker, picc, approver):
    year = dt.date.today().year
    services.do_set_subsidy_parameter(
        acting_user=approver,
        kind="interest",
        rate_bp=5000,
        cap_fen=100_00,
        effective_from=dt.date(year - 5, 1, 1),
        document_number="桂财〔2019〕1号",
    )
    services.do_set_subsidy_parameter(
        acting_user=approver,
        kind="interest",
        rate_bp=3000,
        cap_fen=1_000_000_00,
        effective_from=dt.date(year, 1, 1),
        document_number="桂财〔2026〕2号",
        verified=True,
    )
    services.do_set_subsidy_parameter(
        acting_user=approver,
        kind="insurance",
        rate_bp=4000,
        cap_fen=5_000_00,
        effective_from=dt.date(year - 5, 1, 1),
    )
    from kechuang.pledge.tests.conftest import run_to_disbursed

    app = run_to_disbursed(application, banker, picc)  # premium 20,000 元
    services.do_record_repayment(app, acting_user=banker, principal_fen=0, interest_fen=333_333)
    results = {r.kind: r for r in subsidies.compute_subsidies(app.enterprise_id, year)}
    interest = results["interest"]
    assert (
        interest.base_fen == 333_333 and interest.amount_fen == 99_999
    )  # 30%, rounded down to the fen; the newer version applies
    assert interest.verified and "桂财〔2026〕2号" in interest.trace[-1]
    insurance = results["insurance"]
    assert insurance.capped and insurance.amount_fen == 5_000_00 and not insurance.verified
    assert any("上限" in line for line in insurance.trace)
    assert results["guarantee"].amount_fen == 0 and "没有生效" in results["guarantee"].trace[-1]
    rows = subsidies.payout_candidates(year)
    assert rows == [
        {"enterprise_id": app.enterprise_id, "total_fen": 99_999 + 5_000_00, "results": rows[0]["results"]}
    ]
    assert subsidies.compute_subsidies(app.enterprise_id, year - 1)[0].amount_fen == 0
    assert LoanApplication.objects.count() == 1
