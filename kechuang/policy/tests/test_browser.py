"""In Debian's Chromium: an enterprise user opens the policy calculator and follows one calculation step by step."""

import pytest

from kechuang.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_sees_what_it_qualifies_for_and_why(chromium, live_server, firms, alice):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", alice.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/policy/")  # an enterprise user lands on the calculator
    assert "/policy/calculator/" in page.url
    page.select_option("select[name=year]", "2024")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    table = page.inner_text("table")
    assert "高新技术企业、瞪羚企业研发奖补" in table and "50.00" in table
    assert "研发经费支出需再增加 4,500.00 万元" in table  # what it would take for the special reward
    page.click("tr:has-text('企业研发经费投入增量奖补') >> text=计算过程")
    page.wait_for_load_state()
    trace = page.inner_text("ol.trace")
    assert "同比增量 = 100.00 万元" in trace and "适用奖补比例（万分比） = 20.00%" in trace
    assert "结果：符合，金额 20.00 万元" in trace
