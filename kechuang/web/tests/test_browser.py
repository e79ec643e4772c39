"""In Debian's Chromium: log in, switch language, search the registry and open an organisation."""

import pytest

from kechuang.accounts.models import Role
from kechuang.registry.models import OrganisationKind
from kechuang.testing import PASSWORD, make_org, make_user, record_indicators

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield page
    page.close()


def test_official_logs_in_switches_language_searches_and_opens_an_organisation(
    live_server, browser_page, tmp_path
):
    department = make_org(
        "广西壮族自治区科学技术厅", kind=OrganisationKind.GOVERNMENT, industry=None, registration="11"
    )
    make_user("official", org=department, role=Role.REVIEWER)
    target = make_org(
        "南宁绿洲糖业科技有限公司", region="450103", industry="13", name_en="Nanning Oasis Sugar Technology"
    )
    make_org("柳州重型机械有限公司", region="450202", industry="34")
    record_indicators(target, 2022, revenue=50_000_000_00, rd_spending=1_200_000_00)
    record_indicators(target, 2023, revenue=56_000_000_00, rd_spending=1_500_000_00)

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("input[name=username]", "official")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    page.click("nav.mainnav a[href='/registry/']")
    page.fill("input[name=q]", "糖业")
    with page.expect_navigation():  # the unfiltered list also shows the target: wait for the search's page
        page.click("form.filters button[type=submit]")
    page.wait_for_selector("table.orgs >> text=南宁绿洲糖业科技有限公司")
    assert page.locator("table.orgs tbody tr").count() == 1
    page.click("text=南宁绿洲糖业科技有限公司")
    page.wait_for_selector("h1:has-text('南宁绿洲糖业科技有限公司')")
    page.wait_for_selector(".chart[data-rendered='1'] canvas")
    assert target.credit_code in page.content()
    page.screenshot(path=str(tmp_path / "organisation.png"), full_page=True)
