"""In Chromium: an enterprise publishes a need with a patent, sees the matching products, applies; the bank approves."""

import pytest

from kechuang.pledge.models import LoanApplication, LoanStatus
from kechuang.testing import PASSWORD, page_overflow


def sign_in(browser, base, username, screen):
    context = browser.new_context(locale="zh-CN", viewport=screen)
    page = context.new_page()
    page.confirmations = []  # what each money-moving button said before it acted

    def accept(dialog):
        page.confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.browser
@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # keeps the reference data for the tests after it
def test_enterprise_applies_and_bank_approves(chromium, live_server, alice, banker, journey_screen):
    from kechuang.pledge.tests.conftest import add_patent, publish_product

    patent = add_patent(alice, title="一种糖厂蔗渣综合利用装置")
    product = publish_product(
        banker, texts={"zh-hans": {"name": "桂科专利贷"}, "en": {"name": "Guike Patent Loan"}}
    )
    browser = chromium
    page = sign_in(browser, live_server.url, "alice", journey_screen)
    page.goto(f"{live_server.url}/pledge/needs/new/")
    page.fill("input[name=amount_wan]", "200")
    page.fill("input[name=term_months]", "12")
    page.fill("input[name=purpose]", "购置蔗渣处理设备")
    page.check(f"input[name=patent_ids][value='{patent.pk}']")
    page.click("#need-form button[type=submit]")
    page.wait_for_selector("#matches")
    assert page_overflow(page) == 0
    row = page.locator(f"tr.match[data-product='{product.pk}']")
    assert "桂科专利贷" in row.inner_text()
    assert "接受发明专利" in row.inner_text()
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#loan-status")
    assert "已申请" in page.inner_text("#loan-status")
    loan = LoanApplication.objects.get()
    assert loan.bank_id == product.bank_id and loan.enterprise_id == alice.organisation_id

    bank = sign_in(browser, live_server.url, "banker", journey_screen)
    bank.goto(f"{live_server.url}/pledge/loans/{loan.pk}/")
    form = bank.locator("form[data-action=value]")
    form.locator("select[name=value-method]").select_option("income")
    form.locator("input[name=value-valuer]").fill("广西中联资产评估有限公司")
    form.locator("input[name=value-report]").fill("中联桂评字〔2026〕8号")
    form.locator("input[name=value-valuation_wan]").fill("600")
    form.locator("button[type=submit]").click()
    bank.wait_for_selector("form[data-action=approve]")
    form = bank.locator("form[data-action=approve]")
    form.locator("input[name=approve-amount_wan]").fill("200")
    form.locator("input[name=approve-rate_percent]").fill("3.85")
    form.locator("button[type=submit]").click()
    bank.wait_for_selector("form[data-action=register]")
    assert "授信已批准" in bank.inner_text("#loan-status")
    assert f"#{loan.pk}" in bank.confirmations[-1]  # said before: which loan, which action
    assert "200.00" in bank.inner_text(".messages")  # said after: the amount now granted
    assert page_overflow(bank) == 0
    loan.refresh_from_db()
    assert (
        loan.status == LoanStatus.APPROVED
        and loan.approved_amount_fen == 200 * 1_000_000
        and loan.rate_bp == 385
    )
