"""In Chromium: an official opens the leaders' dashboard, drills down from a KPI to its records, downloads the
annual reply."""

import pytest

from kechuang.testing import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the reference data for later tests
def test_dashboard_drill_down_and_report(chromium, live_server, computed, admin_user, tmp_path):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", admin_user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/kpi/?year=2019")
    assert page.locator("[data-testid=computed-at]").is_visible()
    tile = page.locator("a.kpi-tile[data-kpi=new_hightech]")
    assert tile.locator("[data-figure='kpi.new_hightech.value']").inner_text() == "2"
    page.wait_for_selector(".chart[data-rendered]")  # the module trends drawn by ECharts
    tile.click()
    page.wait_for_selector("a[data-city='450200']")
    page.click("a[data-city='450200']")
    page.wait_for_selector("[data-testid=record-row]")
    rows = page.locator("[data-testid=record-row]")
    assert rows.count() == 1
    assert "柳州丙材料有限公司" in rows.first.inner_text() and "首次认定" in rows.first.inner_text()

    page.goto(f"{live_server.url}/kpi/reports/?year=2019")
    with page.expect_download() as info:
        page.click("[data-testid=download-annual_reply-docx]")
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "提案答复的函" in text and "附件" in text
    context.close()
