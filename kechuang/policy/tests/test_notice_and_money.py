"""Issue 10: the public 公示 in working days with objections from anyone, what an enterprise is told, 下达 to city
and county finance, and clawback when the tax authority lowers a confirmed figure."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, StateError
from kechuang.jobs.queue import run_pending
from kechuang.policy import services
from kechuang.policy.models import Candidate, LedgerEntry, Objection, Programme, Recovery, Round, Transfer
from kechuang.policy.tests.conftest import WAN, end_notice
from kechuang.testing import record_indicators
from kechuang.workdays import working_days_between

pytestmark = pytest.mark.django_db


def screened(round_, reviewer):
    services.do_screen_round(round_, acting_user=reviewer)
    [job] = run_pending()
    assert job.status == "succeeded", job.error
    round_.refresh_from_db()
    return round_


@pytest.fixture
def listed(firms, make_round, reviewer, chain):
    round_ = screened(make_round(), reviewer)
    return chain.to_notice(round_)


# ---- 公示 -------------------------------------------------------------------------------------------------------


def test_the_notice_period_counts_working_days_on_the_official_calendar():
    # 2024 National Day: 1–7 October off, Sunday 29 September and Saturday 12 October worked
    start, end = services.notice_period(dt.date(2024, 9, 27), 5)
    assert (start, end) == (dt.date(2024, 9, 27), dt.date(2024, 10, 9))  # 27, 29, 30 Sep; 8, 9 Oct
    assert working_days_between(start, end) == 5
    # a period starting on a holiday starts on the next working day; Saturday 12 October is a make-up working day
    start, end = services.notice_period(dt.date(2024, 10, 1), 5)
    assert (start, end) == (dt.date(2024, 10, 8), dt.date(2024, 10, 12))
    with pytest.raises(DomainError):
        services.notice_period(dt.date(2024, 10, 8), 0)


def test_a_notice_is_never_zero_days_and_never_below_the_programmes_floor(fund, reviewer, programme):
    with pytest.raises(DomainError):
        services.do_create_round(fund, "零天", year=2024, budget_fen=WAN, notice_days=0, acting_user=reviewer)
    Programme.objects.filter(pk=programme.pk).update(notice_min_days=10)
    fund.refresh_from_db()
    with pytest.raises(DomainError):
        services.do_create_round(fund, "五天", year=2024, budget_fen=WAN, notice_days=5, acting_user=reviewer)
    round_ = services.do_create_round(fund, "默认", year=2024, budget_fen=WAN, acting_user=reviewer)
    assert round_.notice_days == 10  # the programme's floor, not the common 5


def test_the_public_page_needs_no_login_and_lists_what_is_proposed(client, listed):
    body = client.get(reverse("policy:gongshi")).content.decode()
    assert listed.name in body
    front = client.get("/").content.decode()  # the front door links each notice to its public page
    assert reverse("policy:gongshi_round", args=[listed.pk]) in front
    page = client.get(reverse("policy:gongshi_round", args=[listed.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for c in Candidate.objects.filter(round=listed, status=Candidate.Status.LISTED).select_related(
        "organisation"
    ):
        assert c.organisation.credit_code in body and c.organisation.name in body
    assert f'data-notice-ends="{listed.notice_ends:%Y-%m-%d}"' in body
    # a round not in its 公示 is not public
    assert client.get(reverse("policy:gongshi_round", args=[listed.pk + 999])).status_code == 404


def test_anyone_may_object_with_name_and_contact_and_every_objection_is_answered(
    client, listed, reviewer, finance_approver, approver
):
    target = Candidate.objects.filter(round=listed, status=Candidate.Status.LISTED).first()
    url = reverse("policy:gongshi_round", args=[listed.pk])
    anonymous = client.post(url, {"candidate": target.pk, "name": "", "contact": "", "text": "不实"})
    assert anonymous.status_code == 422 and not Objection.objects.exists()  # unsigned: refused
    response = client.post(
        url, {"candidate": target.pk, "name": "李四", "contact": "0771-1234567", "text": "研发数据不实"}
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.channel, objection.raised_by, objection.contact) == ("public", None, "0771-1234567")
    letter = services.do_record_letter(
        target, "来信反映同一问题", name="某某公司（盖章）", contact="南宁市", acting_user=reviewer
    )
    assert letter.channel == "letter" and letter.recorded_by == reviewer
    services.do_concur_round(listed, acting_user=finance_approver)
    end_notice(listed)
    with pytest.raises(StateError):
        services.do_approve_round(listed, acting_user=approver)  # two objections unanswered
    services.do_resolve_objection(objection, upheld=False, resolution="经核实无误", acting_user=reviewer)
    with pytest.raises(StateError):
        services.do_approve_round(listed, acting_user=approver)  # the letter is not answered yet
    services.do_resolve_objection(letter, upheld=False, resolution="经核实无误", acting_user=reviewer)
    services.do_approve_round(listed, acting_user=approver)


def test_objections_close_with_the_period(client, listed):
    end_notice(listed)
    target = Candidate.objects.filter(round=listed, status=Candidate.Status.LISTED).first()
    with pytest.raises(StateError):
        services.do_raise_public_objection(target, "迟到的异议", name="王五", contact="1")


def test_an_upheld_objection_carries_its_money_back_to_the_fund(listed, reviewer, fund):
    target = Candidate.objects.get(round=listed, status=Candidate.Status.LISTED, computed_fen=50 * WAN)
    before = services.committed_budget(fund)
    objection = services.do_raise_public_objection(target, "不实", name="李四", contact="1")
    services.do_resolve_objection(objection, upheld=True, resolution="属实，取消", acting_user=reviewer)
    listed.refresh_from_db()
    assert listed.released_fen == 50 * WAN
    assert services.committed_budget(fund) == before - 50 * WAN  # free for the next batch


def test_an_upheld_objection_redistributes_where_the_programme_says_so(
    firms, make_round, reviewer, chain, programme
):
    Programme.objects.filter(pk=programme.pk).update(objection_release="redistribute")
    round_ = screened(make_round(budget=60 * WAN, name="首批"), reviewer)
    chain.to_notice(round_)
    acme, globex = firms
    carried = Candidate.objects.get(round=round_, organisation=globex, status=Candidate.Status.CARRIED)
    listed = Candidate.objects.get(round=round_, organisation=acme, status=Candidate.Status.LISTED)
    Round.objects.filter(pk=round_.pk).update(budget_fen=130 * WAN)  # room for globex once acme is out
    objection = services.do_raise_public_objection(listed, "不实", name="李四", contact="1")
    services.do_resolve_objection(objection, upheld=True, resolution="属实", acting_user=reviewer)
    carried.refresh_from_db()
    assert carried.status == Candidate.Status.LISTED and carried.awarded_fen == 120 * WAN
    round_.refresh_from_db()
    assert round_.notice_starts >= dt.date.today()  # the changed list is publicised again


# ---- what an enterprise is told -----------------------------------------------------------------------------


def test_nothing_paid_is_offered_again_and_a_second_application_is_refused(
    login, firms, make_round, reviewer, chain, alice, fund
):
    acme, _globex = firms
    round_ = screened(make_round(), reviewer)
    chain.all(round_)
    calcs = services.calculate_for_organisation(acme, 2024)
    standing = services.standings_for(acme, 2024, calcs)
    gazelle = standing["rd_hightech_gazelle"]
    assert gazelle.state == "paid" and gazelle.paid_fen == 50 * WAN and gazelle.offer_fen == 0
    # the incremental reward is in the same group as the paid gazelle reward: closed for the year
    assert standing["rd_incremental"].offer_fen == 0
    page = login(alice).get(reverse("policy:calculator") + "?year=2024").content.decode()
    assert 'data-state="paid"' in page
    api = {r["code"]: r for r in login(alice).get(f"/api/policy/calculator/{acme.pk}?year=2024").json()}
    assert api["rd_hightech_gazelle"]["state"] == "paid" and api["rd_hightech_gazelle"]["offer_fen"] == 0
    assert api["rd_hightech_gazelle"]["paid_fen"] == 50 * WAN
    apply_round = make_round(mode="apply", name="依申请", budget=10 * WAN)
    response = login(alice).post(
        f"/api/policy/rounds/{apply_round.pk}/applications",
        {"policy_code": "rd_hightech_gazelle"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert not Candidate.objects.filter(round=apply_round).exists()


def test_the_enterprise_is_told_why_computed_and_awarded_differ(firms, make_round, reviewer, chain):
    acme, globex = firms
    record_indicators(globex, 2024, rd_super_deduction=1600 * WAN + 99)  # 角分 in the computed amount
    round_ = screened(make_round(budget=60 * WAN, name="首批"), reviewer)
    chain.to_notice(round_)
    standing = services.standings_for(globex, 2024, services.calculate_for_organisation(globex, 2024))
    inc = standing["rd_incremental"]
    assert inc.state == "in_round" and inc.offer_fen == 0
    assert any("转入下一批" in w for w in inc.why)


# ---- 下达 ---------------------------------------------------------------------------------------------------------


def test_local_shares_are_whole_yuan_and_add_up():
    assert services.local_shares(123_456_700, 3000, 2000) == (61_728_400, 37_037_000, 24_691_300)
    for award in (100, 12_345_600, 99_999_900):
        assert sum(services.local_shares(award, 3333, 1111)) == award


def test_approved_money_is_passed_down_per_city_with_tables(
    login, firms, make_round, reviewer, chain, payer, programme
):
    Programme.objects.filter(pk=programme.pk).update(city_share_bp=3000, county_share_bp=1000)
    round_ = screened(make_round(), reviewer)
    chain.to_notice(round_)
    with pytest.raises(StateError):
        services.do_transfer_round(round_, document_no="桂财教〔2025〕1号", acting_user=payer)  # not approved
    chain.approve(round_)
    with pytest.raises(DomainError):
        services.do_transfer_round(round_, document_no=" ", acting_user=payer)
    made = services.do_transfer_round(round_, document_no="桂财教〔2025〕1号", acting_user=payer)
    assert len(made) == 2
    by_city = {t.city.name: t for t in Transfer.objects.select_related("city")}
    nanning = by_city["南宁市"]
    assert (nanning.total_fen, nanning.region_fen, nanning.city_fen, nanning.county_fen) == (
        50 * WAN,
        30 * WAN,
        15 * WAN,
        5 * WAN,
    )
    with pytest.raises(StateError):
        services.do_transfer_round(round_, document_no="再次", acting_user=payer)  # once per city
    assert AuditEntry.objects.filter(action="policy.transfer.create").count() == 2
    client = login(payer)
    book = load_workbook(io.BytesIO(client.get(reverse("policy:transfer_xlsx", args=[round_.pk])).content))
    assert [ws.title for ws in book.worksheets] == ["分市下达表", "分县汇总表", "奖补明细"]
    cities = list(book.worksheets[0].iter_rows(values_only=True))
    assert cities[1][1] == "桂财教〔2025〕1号" and sum(r[3] for r in cities[1:]) == 170 * 10_000
    counties = list(book.worksheets[1].iter_rows(values_only=True))
    assert sum(r[3] for r in counties[1:]) == 170 * 10_000
    docx = client.get(reverse("policy:transfer_docx", args=[round_.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    tables = Document(io.BytesIO(docx.content)).tables
    assert len(tables) == 2 and tables[0].rows[1].cells[1].text == "桂财教〔2025〕1号"


def test_the_payment_file_carries_the_payees_bank_and_account(firms, make_round, reviewer, chain):
    acme, _globex = firms
    type(acme).objects.filter(pk=acme.pk).update(
        bank_name="桂林银行南宁分行", bank_account="6222000011112222"
    )
    round_ = screened(make_round(), reviewer)
    batch = chain.all(round_)
    payment = batch.payments.get(organisation=acme)
    assert (payment.bank_name, payment.account, payment.payee_name) == (
        "桂林银行南宁分行",
        "6222000011112222",
        acme.name,
    )


# ---- clawback -------------------------------------------------------------------------------------------------


def test_a_lowered_tax_figure_shows_the_overpayment_and_records_its_recovery(
    firms, make_round, reviewer, chain, payer, login, alice
):
    acme, globex = firms
    round_ = screened(make_round(), reviewer)
    chain.all(round_)
    assert services.do_check_clawbacks(round_, acting_user=payer) == []  # nothing changed, nothing owed
    # the tax authority lowers globex's confirmed 2024 R&D expense from 1600万 to 1300万: 60万 instead of 120万
    record_indicators(globex, 2024, rd_super_deduction=1300 * WAN)
    [recovery] = services.do_check_clawbacks(round_, acting_user=payer)
    assert (recovery.paid_fen, recovery.recomputed_fen, recovery.overpaid_fen) == (
        120 * WAN,
        60 * WAN,
        60 * WAN,
    )
    assert services.do_check_clawbacks(round_, acting_user=payer) == []  # recorded once
    fund = round_.fund
    balance = services.fund_balance(fund)
    with pytest.raises(DomainError):
        services.do_record_recovery(recovery, amount_fen=61 * WAN, receipt="缴款书 000", acting_user=payer)
    services.do_record_recovery(recovery, amount_fen=20 * WAN, receipt="缴款书 001", acting_user=payer)
    services.do_record_recovery(recovery, amount_fen=40 * WAN, receipt="缴款书 002", acting_user=payer)
    recovery.refresh_from_db()
    assert recovery.status == Recovery.Status.RECOVERED
    assert services.fund_balance(fund) == balance + 60 * WAN
    assert LedgerEntry.objects.filter(kind="recovery").count() == 2
    # the enterprise is told too
    standing = services.standings_for(globex, 2024, services.calculate_for_organisation(globex, 2024))
    assert any("多拨" in w for w in standing["rd_incremental"].why)
