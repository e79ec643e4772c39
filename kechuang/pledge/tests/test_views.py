"""Every page for who may use it and, above all, who may not."""

import io

import pytest
from openpyxl import load_workbook

from kechuang.errors import DomainError
from kechuang.pledge import services
from kechuang.pledge.models import CooperationModel, LoanStatus, Patent
from kechuang.pledge.tests.conftest import app_number, run_to_disbursed


def test_home_for_each_party_and_nobody_else(login, alice, banker, reviewer, insurer_user, outsider, client):
    for user, text in (
        (alice, "我的融资需求"),
        (banker, "本行贷款产品"),
        (reviewer, "融资企业"),
        (insurer_user, "质押贷款"),
    ):
        response = login(user).get("/pledge/")
        assert response.status_code == 200 and text in response.content.decode()
    assert login(outsider).get("/pledge/").status_code == 403
    client.logout()
    assert client.get("/pledge/").status_code == 302


def test_enterprise_registers_a_patent_through_the_form(login, alice):
    client = login(alice)
    response = client.post(
        "/pledge/patents/",
        {
            "application_number": "ZL201710601862.4",
            "title": "x",
            "filing_date": "2017-05-01",
            "legal_status": "granted",
        },
    )
    assert response.status_code == 200 and "校验位不符" in response.content.decode()
    response = client.post(
        "/pledge/patents/",
        {
            "application_number": "ZL201710601862.3",
            "title": "一种方法",
            "filing_date": "2017-05-01",
            "grant_date": "2019-03-01",
            "legal_status": "granted",
            "fee_paid_until": "2030-05-01",
            "co_owners": "广西大学 同意\n桂林理工",
        },
    )
    patent = Patent.objects.get(application_number="201710601862.3")
    assert response.status_code == 302 and patent.owner_id == alice.organisation_id
    assert [(c.name, c.consents_to_pledge) for c in patent.co_owners.all()] == [
        ("广西大学", True),
        ("桂林理工", False),
    ]
    page = client.get(f"/pledge/patents/{patent.pk}/").content.decode()
    assert "桂林理工 尚未同意出质" in page


def test_patent_pages_are_private(login, patent, bob, banker, outsider):
    assert login(bob).get(f"/pledge/patents/{patent.pk}/").status_code == 404
    assert (
        login(banker).get(f"/pledge/patents/{patent.pk}/").status_code == 404
    )  # not offered in a published need yet
    assert login(bob).get("/pledge/patents/").status_code == 200  # his own list, empty of alice's
    assert patent.application_number not in login(bob).get("/pledge/patents/").content.decode()
    assert login(banker).get("/pledge/patents/").status_code == 403
    assert login(outsider).get("/pledge/patents/").status_code == 403
    assert login(bob).post(f"/pledge/patents/{patent.pk}/", {"legal_status": "lapsed"}).status_code == 404


def test_need_form_shows_refusals(login, alice):
    from kechuang.pledge.tests.conftest import add_patent

    lapsed = add_patent(alice, legal_status="lapsed")
    response = login(alice).post(
        "/pledge/needs/new/",
        {"amount_wan": "100", "term_months": 12, "purpose": "设备", "patent_ids": [lapsed.pk]},
    )
    assert response.status_code == 200 and "未缴年费终止" in response.content.decode()


def test_need_page_lists_matching_products_and_the_enterprise_applies(
    login, alice, need, product, bocom, other_banker
):
    from kechuang.pledge.tests.conftest import publish_product

    design_only = publish_product(other_banker, patent_types=["design"])
    client = login(alice)
    page = client.get(f"/pledge/needs/{need.pk}/").content.decode()
    assert "知识产权质押贷" in page and "年利率 3.85%" in page
    assert f'data-product="{design_only.pk}"' not in page
    assert "产品不接受发明专利" in page  # why the design-only product does not fit
    response = client.post(f"/pledge/needs/{need.pk}/apply/", {"product_id": product.pk})
    assert response.status_code == 302
    app = need.applications.get()
    assert app.bank_id == product.bank_id and app.cooperation_model == CooperationModel.BANK_INSURANCE
    response = client.post(f"/pledge/needs/{need.pk}/apply/", {"product_id": product.pk}, follow=True)
    assert "已就此需求向该产品提交过申请" in response.content.decode()


def test_others_cannot_see_or_apply_with_a_need(login, need, product, bob, outsider, insurer_user):
    for user in (bob, outsider, insurer_user):
        assert login(user).get(f"/pledge/needs/{need.pk}/").status_code in (403, 404)
        assert login(user).post(
            f"/pledge/needs/{need.pk}/apply/", {"product_id": product.pk}
        ).status_code in (403, 404)
    assert not need.applications.exists()


def test_bank_sees_fitting_needs_and_only_its_own_products_on_a_need(
    login, need, product, banker, other_banker
):
    from kechuang.pledge.tests.conftest import publish_product

    publish_product(other_banker, texts={"zh-hans": {"name": "交行专利贷"}, "en": {"name": "BOCOM IP"}})
    page = login(banker).get("/pledge/bank/needs/").content.decode()
    assert "购买生产设备" in page
    page = login(banker).get(f"/pledge/needs/{need.pk}/").content.decode()
    assert "知识产权质押贷" in page and "交行专利贷" not in page
    # a bank without products sees no needs
    assert login(other_banker).get("/pledge/bank/needs/").status_code == 200


def test_a_bank_never_sees_another_banks_applications(
    login, application, banker, other_banker, alice, bob, liuzhou_reviewer, reviewer
):
    url = f"/pledge/loans/{application.pk}/"
    assert login(banker).get(url).status_code == 200
    assert login(alice).get(url).status_code == 200
    assert login(reviewer).get(url).status_code == 200
    for user in (other_banker, bob, liuzhou_reviewer):
        assert login(user).get(url).status_code == 404
        listing = login(user).get("/pledge/loans/")
        assert listing.status_code == 200 and f'href="{url}"' not in listing.content.decode()
    assert f'href="{url}"' in login(banker).get("/pledge/loans/").content.decode()
    response = login(other_banker).post(
        f"{url}value/",
        {"value-method": "income", "value-valuer": "x", "value-report": "r", "value-valuation_wan": "100"},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == LoanStatus.APPLIED


def test_bank_runs_the_lifecycle_through_the_page(login, application, banker, picc, alice):
    client = login(banker)
    url = f"/pledge/loans/{application.pk}/"
    assert "登记评估" in client.get(url).content.decode()
    assert (
        client.post(
            f"{url}value/",
            {
                "value-method": "income",
                "value-valuer": "中联评估",
                "value-report": "R-1",
                "value-valuation_wan": "400",
                "value-fee_yuan": "20000",
            },
        ).status_code
        == 302
    )
    response = client.post(
        f"{url}approve/",
        {
            "approve-amount_wan": "150",
            "approve-rate_percent": "4.00",
            "approve-insurer_id": picc.pk,
            "approve-insurance_premium_yuan": "15000",
        },
        follow=True,
    )
    assert "已完成" in response.content.decode()
    client.post(f"{url}register/", {"register-registration_number": "Y2026-1"})
    client.post(f"{url}disburse/", {})
    response = client.post(f"{url}repay/", {"repay-principal_yuan": "1500000.01"}, follow=True)
    assert "大于贷款余额" in response.content.decode()
    application.refresh_from_db()
    assert application.status == LoanStatus.DISBURSED and application.balance_fen == 150_000_000
    # the enterprise sees the loan but has no bank action on it
    page = login(alice).get(url).content.decode()
    assert "登记还款" not in page and "还款计划" in page
    assert login(alice).post(f"{url}repay/", {"repay-principal_yuan": "1"}).status_code == 403
    application.refresh_from_db()
    assert application.balance_fen == 150_000_000


def test_invalid_action_form_rerenders_with_errors(login, application, banker):
    response = login(banker).post(f"/pledge/loans/{application.pk}/value/", {"value-method": "guess"})
    assert response.status_code == 400


def test_products_pages(login, product, alice, banker, other_banker, outsider):
    assert "知识产权质押贷" in login(alice).get("/pledge/products/").content.decode()
    assert login(outsider).get("/pledge/products/").status_code == 403
    assert login(alice).get("/pledge/products/new/").status_code == 403
    assert login(other_banker).post(f"/pledge/products/{product.pk}/toggle/").status_code == 404
    client = login(banker)
    response = client.post(
        "/pledge/products/new/",
        {
            "name_zh": "桂银专利贷",
            "name_en": "Guilin Bank Patent Loan",
            "min_amount_wan": "50",
            "max_amount_wan": "1000",
            "min_term_months": 1,
            "max_term_months": 24,
            "rate_percent": "3.95",
            "max_ltv_percent": "40",
            "requires_valuation": "on",
            "patent_types": ["invention"],
            "models_supported": ["bank", "bank_gua"],
            "regions": ["450100"],
            "industries": "C, I",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Guilin Bank Patent Loan" in page and "南宁市" in page
    client.post(f"/pledge/products/{product.pk}/toggle/")
    product.refresh_from_db()
    assert not product.is_active
    assert login(alice).get(f"/pledge/products/{product.pk}/").status_code == 404


def test_config_page_only_for_approvers_and_refuses_bad_ratios(login, approver, reviewer, banker, alice):
    for user in (reviewer, banker, alice):
        assert login(user).get("/pledge/config/").status_code == 403
    client = login(approver)
    response = client.post(
        "/pledge/config/",
        {
            "which": "scheme",
            "scheme-cooperation_model": "bank_ins_gua",
            "scheme-bank_percent": "20",
            "scheme-insurer_percent": "30",
            "scheme-guarantor_percent": "30",
            "scheme-fund_percent": "10",
            "scheme-effective_from": "2020-01-01",
        },
    )
    assert response.status_code == 200 and "必须正好是 100%" in response.content.decode()
    response = client.post(
        "/pledge/config/",
        {
            "which": "scheme",
            "scheme-cooperation_model": "bank_ins_gua",
            "scheme-bank_percent": "20",
            "scheme-insurer_percent": "30",
            "scheme-guarantor_percent": "30",
            "scheme-fund_percent": "20",
            "scheme-effective_from": "2020-01-01",
            "scheme-document_number": "桂知〔2020〕3号",
        },
    )
    assert response.status_code == 302
    # the subsidy rates have one home, the policy files: the page links to them instead of a second form
    page = client.get("/pledge/config/").content.decode()
    assert "pledge_interest_subsidy" in page and 'name="param-kind"' not in page


def test_stats_page_and_export_for_officials_only(login, application, banker, picc, reviewer, alice):
    run_to_disbursed(application, banker, picc, amount_fen=1_000_000_00)
    assert login(alice).get("/pledge/stats/").status_code == 403
    assert login(banker).get("/pledge/stats.xlsx").status_code == 403
    client = login(reviewer)
    page = client.get("/pledge/stats/").content.decode()
    assert 'data-chart="bar"' in page and "pledge-series" in page
    response = client.get("/pledge/stats.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == 1  # one patent pledged this year
    assert any(r[0] == "工商银行广西分行" for r in book.worksheets[1].iter_rows(values_only=True))


def test_subsidy_page_for_enterprise_and_department(
    login, application, banker, picc, alice, approver, bob, other_banker
):
    run_to_disbursed(application, banker, picc)
    page = login(alice).get("/pledge/subsidies/").content.decode()
    assert (
        "15,000.00" in page and "未核实" not in page
    )  # 30,000 元 fee × 50%; verification flags: officials only
    page = login(approver).get("/pledge/subsidies/").content.decode()
    assert "南宁阿克米科技有限公司" in page
    assert "南宁阿克米" not in login(bob).get("/pledge/subsidies/").content.decode()
    assert login(other_banker).get("/pledge/subsidies/").status_code == 403


def test_share_payment_page_checks_the_party(
    login, application, banker, picc, approver, insurer_user, other_banker
):
    services.do_configure_risk_scheme(
        acting_user=approver,
        cooperation_model=CooperationModel.BANK_INSURANCE,
        bank_bp=2000,
        insurer_bp=5000,
        fund_bp=3000,
        effective_from=application.created_at.date().replace(year=2020),
    )
    app = run_to_disbursed(application, banker, picc)
    services.do_declare_default(app, acting_user=banker)
    services.do_share_risk(app, acting_user=banker)
    insurer_share = app.risk_shares.get(party="insurer")
    assert login(other_banker).post(f"/pledge/shares/{insurer_share.pk}/pay/").status_code == 404
    login(banker).post(f"/pledge/shares/{insurer_share.pk}/pay/")
    insurer_share.refresh_from_db()
    assert insurer_share.paid_on is None
    page = login(insurer_user).get(f"/pledge/loans/{app.pk}/").content.decode()
    assert "确认已支付" in page
    login(insurer_user).post(f"/pledge/shares/{insurer_share.pk}/pay/")
    insurer_share.refresh_from_db()
    assert insurer_share.paid_on is not None


@pytest.mark.parametrize(("number", "valid"), [("ZL201710601862.3", True), ("201710601862.5", False)])
def test_api_number_check(login, alice, number, valid):
    body = login(alice).get("/api/pledge/patents/check-number", {"number": number}).json()
    assert body["valid"] is valid


def test_api_flow_and_refusals(login, alice, banker, other_banker, picc, outsider):
    client = login(alice)
    response = client.post(
        "/api/pledge/patents",
        {
            "application_number": app_number(2022),
            "title": "API 专利",
            "filing_date": "2022-03-01",
            "grant_date": "2023-05-01",
            "fee_paid_until": "2099-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    patent_id = response.json()["id"]
    bank = login(banker)
    response = bank.post(
        "/api/pledge/products",
        {
            "texts": {"zh-hans": {"name": "工行专利贷"}, "en": {"name": "ICBC Patent Loan"}},
            "min_amount_fen": 10_000_00,
            "max_amount_fen": 5_000_000_00,
            "max_term_months": 24,
            "rate_bp": 360,
            "patent_types": ["invention"],
            "models_supported": ["bank"],
            "requires_valuation": False,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["names"]["en"] == "ICBC Patent Loan"
    product_id = response.json()["id"]
    client = login(alice)
    need = client.post(
        "/api/pledge/needs",
        {"amount_fen": 100_000_00, "term_months": 12, "purpose": "研发", "patent_ids": [patent_id]},
        content_type="application/json",
    ).json()
    matches = client.get(f"/api/pledge/needs/{need['id']}/matches").json()
    assert matches[0]["product_id"] == product_id and matches[0]["reasons"]
    loan = client.post(
        "/api/pledge/loans",
        {"need_id": need["id"], "product_id": product_id},
        content_type="application/json",
    ).json()
    assert loan["status"] == "applied"
    assert [r["need_id"] for r in login(banker).get("/api/pledge/bank/needs").json()] == [need["id"]]
    # another bank: not found, and its list is empty
    other = login(other_banker)
    assert other.get(f"/api/pledge/loans/{loan['id']}").status_code == 404
    assert other.get("/api/pledge/loans").json() == []
    refused = other.get("/api/pledge/loans", {"bank_id": banker.organisation_id})
    assert (
        refused.status_code == 403
        and refused.json()["code"] == "forbidden"
        and "其他银行" in refused.json()["message"]
    )
    refused = other.post(
        f"/api/pledge/loans/{loan['id']}/approve",
        {"amount_fen": 1, "rate_bp": 300},
        content_type="application/json",
    )
    assert refused.status_code == 404, refused.content
    bank = login(banker)
    assert [
        row["id"] for row in bank.get("/api/pledge/loans", {"bank_id": banker.organisation_id}).json()
    ] == [loan["id"]]
    response = bank.post(
        f"/api/pledge/loans/{loan['id']}/approve",
        {"amount_fen": 100_000_00, "rate_bp": 360},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = bank.post(f"/api/pledge/loans/{loan['id']}/disburse", {}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"
    bank.post(
        f"/api/pledge/loans/{loan['id']}/register",
        {"registration_number": "Y-API-1"},
        content_type="application/json",
    )
    bank.post(f"/api/pledge/loans/{loan['id']}/disburse", {}, content_type="application/json")
    response = bank.post(
        f"/api/pledge/loans/{loan['id']}/repay",
        {"principal_fen": 100_000_01},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "repayment_exceeds_balance"
    # a second need with the pledged patent is refused with the stable code
    response = login(alice).post(
        "/api/pledge/needs",
        {"amount_fen": 100_000_00, "term_months": 6, "purpose": "x", "patent_ids": [patent_id]},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "patent_already_pledged"
    assert login(outsider).get("/api/pledge/loans").status_code == 403
    assert login(alice).get("/api/pledge/stats").status_code == 403


def test_api_stats_for_the_department(login, reviewer):
    body = login(reviewer).get("/api/pledge/stats", {"year": 2025}).json()
    assert body["year"] == 2025 and body["current"]["patents"] == 0


def test_api_patent_patch_only_by_owner(login, patent, alice, bob):
    response = login(bob).patch(
        f"/api/pledge/patents/{patent.pk}", {"legal_status": "lapsed"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = login(alice).patch(
        f"/api/pledge/patents/{patent.pk}",
        {"in_dispute": True, "co_owners": [{"name": "广西大学", "consents_to_pledge": False}]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["in_dispute"] is True
    codes = {r["code"] for r in login(alice).get(f"/api/pledge/patents/{patent.pk}/eligibility").json()}
    assert codes == {"ownership_dispute", "co_owner_consent_missing"}


FORBIDDEN = [
    ("/pledge/", ["outsider"]),
    ("/pledge/patents/", ["banker", "insurer_user", "reviewer", "outsider"]),
    ("/pledge/needs/new/", ["banker", "insurer_user", "reviewer", "outsider"]),
    ("/pledge/bank/needs/", ["alice", "insurer_user", "reviewer", "outsider"]),
    ("/pledge/products/", ["outsider"]),
    ("/pledge/products/new/", ["alice", "insurer_user", "reviewer", "outsider"]),
    ("/pledge/loans/", ["outsider"]),
    ("/pledge/config/", ["reviewer", "banker", "alice", "liuzhou_reviewer"]),
    ("/pledge/subsidies/", ["banker", "insurer_user", "outsider"]),
    ("/pledge/stats/", ["alice", "banker", "insurer_user", "outsider"]),
    ("/pledge/stats.xlsx", ["alice", "banker", "outsider"]),
    ("/api/pledge/patents", ["banker", "reviewer", "outsider"]),
    ("/api/pledge/bank/needs", ["alice", "reviewer", "outsider"]),
    ("/api/pledge/subsidies?year=2026", ["banker", "reviewer"]),
    ("/api/pledge/stats.xlsx", ["alice", "banker"]),
]


@pytest.mark.parametrize(("url", "users"), FORBIDDEN, ids=[u for u, _ in FORBIDDEN])
def test_who_may_not_use_each_page(db, request, login, url, users):
    for name in users:
        user = request.getfixturevalue(name)
        assert login(user).get(url).status_code == 403, (url, name)


def test_registration_closes_the_need_so_banks_stop_seeing_it(login, application, banker, picc, need):
    run_to_disbursed(application, banker, picc)
    need.refresh_from_db()
    assert need.status == "closed"
    assert "购买生产设备" not in login(banker).get("/pledge/bank/needs/").content.decode()
    page = login(application.need.enterprise.users.first()).get(f"/pledge/needs/{need.pk}/").content.decode()
    assert "已获得质押贷款" in page and ">申请<" not in page


def test_list_pages_keep_a_constant_number_of_queries(login, alice, banker, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.pledge.tests.conftest import add_patent, publish_product

    product = publish_product(banker)

    def add_loan():
        patent = add_patent(alice)
        need = services.do_publish_need(
            acting_user=alice, amount_fen=1_000_000_00, term_months=12, purpose="x", patent_ids=[patent.pk]
        )
        services.do_apply(need, product, acting_user=alice)

    add_loan()
    counts = {}
    for user in (alice, banker, reviewer):
        client = login(user)
        for url in (
            "/pledge/",
            "/pledge/loans/",
            "/pledge/bank/needs/" if user is banker else "/pledge/products/",
        ):
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            counts[(user.username, url)] = len(ctx)
    for _ in range(4):
        add_loan()
    for user in (alice, banker, reviewer):
        client = login(user)
        for url in (
            "/pledge/",
            "/pledge/loans/",
            "/pledge/bank/needs/" if user is banker else "/pledge/products/",
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            assert len(ctx) == counts[(user.username, url)], (
                user.username,
                url,
                counts[(user.username, url)],
                len(ctx),
            )
    response = login(reviewer).get("/api/pledge/stats.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_a_loan_links_to_a_signing_at_a_bank_enterprise_event(
    login, application, admin_user, department, banker, acme, icbc, bocom
):
    import datetime as dt

    from kechuang.events import services as events
    from kechuang.events.models import DealType, Event, EventKind, Outcome

    event = events.do_create_event(
        acting_user=admin_user,
        kind=EventKind.BANK_ENTERPRISE,
        title="南宁银企对接会",
        organiser=department,
        city="450100",
        starts_at=dt.datetime(2026, 6, 1, 9),
        ends_at=dt.datetime(2026, 6, 1, 17),
        status=Event.Status.PUBLISHED,
    )
    other = events.do_record_outcome(
        event,
        acting_user=admin_user,
        kind=Outcome.Kind.SIGNING,
        deal_type=DealType.PLEDGE_LOAN,
        title="交行签约",
        parties=[acme, bocom],
        amount_fen=100,
    )
    signing = events.do_record_outcome(
        event,
        acting_user=admin_user,
        kind=Outcome.Kind.SIGNING,
        deal_type=DealType.PLEDGE_LOAN,
        title="工行专利质押贷款签约",
        parties=[acme, icbc],
        amount_fen=2_000_000_00,
    )
    assert list(services.event_signings_for(application)) == [signing]
    with pytest.raises(DomainError):
        services.do_link_event_signing(application, other, acting_user=admin_user)
    assert (
        login(banker)
        .post(f"/pledge/loans/{application.pk}/link-event/", {"outcome_id": signing.pk})
        .status_code
        == 403
    )
    login(admin_user).post(f"/pledge/loans/{application.pk}/link-event/", {"outcome_id": signing.pk})
    signing.refresh_from_db()
    assert signing.follow_up_ref == f"pledge:loan:{application.pk}"
    assert "工行专利质押贷款签约" in login(banker).get(f"/pledge/loans/{application.pk}/").content.decode()


def test_bank_edits_its_product_and_no_one_else_can(login, product, banker, other_banker, alice):
    assert login(other_banker).get(f"/pledge/products/{product.pk}/edit/").status_code == 404
    assert login(alice).get(f"/pledge/products/{product.pk}/edit/").status_code == 404
    client = login(banker)
    page = client.get(f"/pledge/products/{product.pk}/edit/").content.decode()
    assert 'value="IP Pledge Loan"' in page and 'value="3.85"' in page
    data = {
        "name_zh": "知识产权质押贷（2026版）",
        "name_en": "IP Pledge Loan 2026",
        "min_amount_wan": "10",
        "max_amount_wan": "1000",
        "min_term_months": 1,
        "max_term_months": 36,
        "rate_percent": "3.60",
        "max_ltv_percent": "50",
        "requires_valuation": "on",
        "patent_types": ["invention", "utility"],
        "models_supported": ["bank"],
        "industries": "",
    }
    assert client.post(f"/pledge/products/{product.pk}/edit/", data).status_code == 302
    product.refresh_from_db()
    assert (
        product.rate_bp == 360
        and product.name("en") == "IP Pledge Loan 2026"
        and product.models_supported == ["bank"]
    )
    data["max_amount_wan"] = "1"
    response = client.post(f"/pledge/products/{product.pk}/edit/", data)
    assert response.status_code == 200 and "最高金额不能低于最低金额" in response.content.decode()
    from kechuang.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="pledge.product.update").get()
    assert entry.changes["rate_bp"] == [385, 360]


def test_api_product_patch(login, product, banker, other_banker):
    assert (
        login(other_banker)
        .patch(f"/api/pledge/products/{product.pk}", {"rate_bp": 1}, content_type="application/json")
        .status_code
        == 404
    )
    response = login(banker).patch(
        f"/api/pledge/products/{product.pk}",
        {"rate_bp": 350, "is_active": False},
        content_type="application/json",
    )
    assert (
        response.status_code == 200
        and response.json()["rate_bp"] == 350
        and response.json()["is_active"] is False
    )
    response = login(banker).patch(
        f"/api/pledge/products/{product.pk}", {"rate_bp": 9999}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_insurer_and_guarantor_see_only_loans_they_are_part_of(
    login, application, banker, picc, insurer_user, guarantor_user
):
    url = f"/pledge/loans/{application.pk}/"
    assert login(insurer_user).get(url).status_code == 404
    run_to_disbursed(application, banker, picc)  # insured by picc, no guarantor
    assert login(insurer_user).get(url).status_code == 200
    assert login(guarantor_user).get(url).status_code == 404
    assert [row["id"] for row in login(insurer_user).get("/api/pledge/loans").json()] == [application.pk]
    assert login(guarantor_user).get("/api/pledge/loans").json() == []


def test_admin_lists_loans_read_only(login, admin_user, application):
    client = login(admin_user)
    assert client.get("/admin/pledge/loanapplication/").status_code == 200
    assert client.get("/admin/pledge/loanapplication/add/").status_code == 403


def test_once_credit_is_approved_the_need_offers_no_more_applications(login, application, banker, picc, need):
    services.do_record_valuation(
        application,
        acting_user=banker,
        method="income",
        valuer="评估所",
        report="R-9",
        valuation_fen=5_000_000_00,
    )
    services.do_approve_credit(
        application, acting_user=banker, amount_fen=1_000_000_00, rate_bp=400, insurer_id=picc.pk
    )
    page = login(need.enterprise.users.first()).get(f"/pledge/needs/{need.pk}/").content.decode()
    assert "已获得质押贷款" in page and ">申请<" not in page and "关闭需求" not in page
    assert "已获贷款" in page


def test_the_enterprise_can_close_its_need_from_the_page(client, alice, need):
    import re

    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    page = browser.get(f"/pledge/needs/{need.pk}/").content.decode()
    form = re.search(rf'action="/pledge/needs/{need.pk}/close/">(.*?)</form>', page, re.S)
    assert form, "the close form is on the page"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert token, "the close form carries its CSRF token"
    response = browser.post(f"/pledge/needs/{need.pk}/close/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "closed"


def test_a_product_reads_in_the_readers_language_else_english_else_chinese(banker):
    from kechuang.pledge.tests.conftest import publish_product

    product = publish_product(banker)
    assert product.name("en") == "IP Pledge Loan"
    assert product.name("vi") == "IP Pledge Loan"  # no Vietnamese text: English before Chinese
    assert product.name("zh-hans") == "知识产权质押贷"
    product.texts.filter(language="en").delete()
    assert type(product).objects.get(pk=product.pk).name("vi") == "知识产权质押贷"
