"""In Chromium, on a desktop and on a phone: an enterprise checks what it qualifies for, reads why, finds the open
round and applies; the application is recorded for the amount the calculator showed."""

import pytest

from kechuang.testing import PASSWORD, page_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_checks_its_policies_and_applies(
    chromium, live_server, firms, make_round, alice, journey_screen
):
    from kechuang.policy.models import Candidate

    acme, _globex = firms
    round_ = make_round(mode="apply", name="2024年度研发奖补（依申请）")
    page = chromium.new_page(viewport=journey_screen, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")

    page.goto(f"{live_server.url}/policy/calculator/?year=2024")
    row = page.locator("tr:has-text('企业研发经费投入增量奖补')")
    assert "20.00" in row.inner_text()
    assert page_overflow(page) == 0
    with page.expect_navigation():
        row.locator("text=计算过程").click()
    assert "结果：符合，金额 20.00 万元" in page.inner_text("ol.trace")
    assert page_overflow(page) == 0

    page.goto(f"{live_server.url}/policy/rounds/")
    with page.expect_navigation():
        page.click(f"a[href='/policy/rounds/{round_.pk}/']")
    page.select_option("select[name=policy]", "rd_incremental")
    with page.expect_navigation():
        page.click("form[action$='/apply/'] button[type=submit]")
    assert page.locator(".messages li.success").count() == 1
    assert page_overflow(page) == 0

    application = Candidate.objects.get(round=round_, organisation=acme)
    assert application.policy_code == "rd_incremental" and application.computed_fen == 20 * 10_000 * 100
    page.close()
