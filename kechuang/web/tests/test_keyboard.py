"""In Chromium, with the keyboard only: skip link first, log in, reach the navigation, open a page; focus is visible."""

import pytest

from kechuang.accounts.models import Role
from kechuang.registry.models import OrganisationKind
from kechuang.testing import PASSWORD, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e); const r = e.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name'), cls: e.className,
                href: e.getAttribute('href'), inNav: !!e.closest('.mainnav'),
                outline: s.outlineStyle, left: r.left, width: r.width}; }"""
    )


def tab_until(page, wanted, limit=40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
    raise AssertionError(f"no element reached by Tab matched within {limit} presses")


def test_a_keyboard_user_skips_to_content_logs_in_and_opens_a_page_from_the_menu(chromium, live_server):
    department = make_org(
        "广西壮族自治区科学技术厅", kind=OrganisationKind.GOVERNMENT, industry=None, registration="11"
    )
    make_user("keyboard", org=department, role=Role.REVIEWER)
    page = chromium.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")

    page.keyboard.press("Tab")
    skip = focused(page)
    assert "skip" in skip["cls"] and skip["left"] >= 0, "the first Tab shows the skip link on screen"
    assert skip["outline"] != "none", "the focused element is outlined"

    tab_until(page, lambda e: e["name"] == "username")
    page.keyboard.type("keyboard")
    tab_until(page, lambda e: e["name"] == "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, "Enter in the password field submits the login form"

    link = tab_until(
        page, lambda e: e["inNav"] and e["tag"] == "a" and e["href"] and "active" not in e["cls"]
    )
    assert link["outline"] != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(link["href"]), (page.url, link["href"])
    assert page.locator("main h1").count() >= 1
    page.close()
