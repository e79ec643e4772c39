"""In Debian's Chromium: a Vietnamese-language user searches in Vietnamese, finds a Chinese achievement,
expresses interest, the owner replies and the user reads the reply; on a desktop and on a phone."""

import pytest

from kechuang.accounts.models import Role
from kechuang.jobs.models import Job
from kechuang.jobs.queue import run_pending
from kechuang.testing import PASSWORD, make_org, make_user, page_overflow

from .conftest import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(chromium, journey_screen):
    page = chromium.new_page(viewport=journey_screen, locale="vi-VN")
    yield page
    page.close()


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_vietnamese_user_finds_chinese_achievement_and_owner_replies(
    live_server, browser_page, university, professor
):
    department = make_org("广西壮族自治区科学技术厅", kind="government", industry=None, registration="11")
    official = make_user("official", org=department, role=Role.REVIEWER)
    achievement = publish(professor, official)
    publish(
        professor,
        official,
        title="榴莲果肉速冻保鲜技术",
        summary="液氮速冻与气调包装，榴莲果肉保质期18个月。",
        industry="13",
        ipc_codes="A23B 7/04",
        patents=[],
    )
    buyer_org = make_org("越南西宁木薯加工合作企业", region="450103")
    make_user("nguyen", org=buyer_org, role=Role.MEMBER)
    assert all(j.status == Job.Status.SUCCEEDED for j in run_pending())

    page, base = browser_page, live_server.url
    login(page, base, "nguyen")
    with page.expect_navigation():
        page.select_option("#lang-select", "vi")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.goto(f"{base}/market/")
    page.fill("input[name=q]", "Chúng tôi cần công nghệ lên men cồn nhiên liệu từ sắn")
    page.click("form.filters button[type=submit]")
    first = page.locator("#results article.listing").first
    first.wait_for()
    assert page_overflow(page) == 0
    assert "木薯燃料乙醇" in first.inner_text()
    assert first.get_attribute("data-listing") == str(achievement.pk)
    first.locator("h3 a").click()
    page.wait_for_selector("#interest-form")
    page.fill("#interest-form textarea[name=note]", "Công ty chúng tôi muốn được cấp phép công nghệ này.")
    page.click("#interest-form button[type=submit]")
    page.wait_for_selector("text=Công ty chúng tôi muốn được cấp phép")

    page.context.clear_cookies()
    login(page, base, "prof")
    page.goto(f"{base}/market/mine/")
    received = page.locator("#received")
    assert "越南西宁木薯加工合作企业" in received.inner_text()
    received.locator("a").first.click()
    page.wait_for_selector("text=Công ty chúng tôi muốn được cấp phép công nghệ này.")
    assert page_overflow(page) == 0
    page.fill("#thread textarea[name=body]", "欢迎洽谈，可安排技术人员赴越南现场指导。")
    with page.expect_navigation():
        page.click("#thread button[type=submit]")

    page.context.clear_cookies()
    login(page, base, "nguyen")
    page.goto(f"{base}/market/interests/{achievement.interests.get().pk}/")
    assert "欢迎洽谈，可安排技术人员赴越南现场指导。" in page.inner_text("#thread")
