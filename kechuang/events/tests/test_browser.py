"""In Debian's Chromium: two participants request a meeting, the organiser schedules, both see it in their agenda."""

import datetime as dt

import pytest

from kechuang.accounts.models import Role
from kechuang.events import services
from kechuang.events.models import Event, EventKind
from kechuang.jobs.queue import run_pending
from kechuang.registry.models import OrganisationKind
from kechuang.testing import PASSWORD, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, base, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_two_participants_request_a_meeting_and_both_see_it_in_their_agenda(live_server, chromium, tmp_path):
    department = make_org(
        "广西壮族自治区科学技术厅", kind=OrganisationKind.GOVERNMENT, industry=None, registration="11"
    )
    admin = make_user("organiser", org=department, role=Role.ADMIN)
    make_user("alice", org=make_org("南宁阿克米科技有限公司"), role=Role.ORG_ADMIN)
    budi = make_user("budi", org=make_org("雅加达印尼科技公司"), role=Role.ORG_ADMIN)
    event = services.do_create_event(
        acting_user=admin,
        kind=EventKind.TECH_MATCH,
        title="中国—东盟技术对接会",
        timezone="Asia/Shanghai",
        starts_at=dt.datetime(2026, 9, 15, 8),
        ends_at=dt.datetime(2026, 9, 15, 18),
        organiser=department,
        city="450100",
        status=Event.Status.PUBLISHED,
        requires_approval=False,
    )
    services.do_add_meeting_slots(
        event, acting_user=admin, starts_at=dt.datetime(2026, 9, 15, 14), minutes=20, count=3, tables=5
    )
    services.do_register(event, acting_user=budi, timezone_name="Asia/Jakarta")
    base = live_server.url

    # Alice registers through the page, then asks Budi for a meeting
    page = log_in(chromium, base, "alice")
    page.goto(f"{base}/events/{event.pk}/")
    page.click("form[action$='/register/'] button[type=submit]")
    page.wait_for_selector("text=我的日程")
    page.goto(f"{base}/events/{event.pk}/participants/")
    page.click("tr[data-participant=budi] button[type=submit]")
    page.wait_for_selector("tr[data-participant=budi] >> text=已请求")

    # Budi sees that Alice asked and asks back: a mutual request
    page_b = log_in(chromium, base, "budi")
    page_b.goto(f"{base}/events/{event.pk}/participants/")
    assert page_b.locator("tr[data-participant=alice] >> text=对方已请求与您洽谈").count() == 1
    page_b.click("tr[data-participant=alice] button[type=submit]")
    page_b.wait_for_selector("tr[data-participant=alice] >> text=已请求")

    # the organiser makes the schedule; the job runs in the worker (here: this process)
    page_o = log_in(chromium, base, "organiser")
    page_o.goto(f"{base}/events/{event.pk}/manage/")
    page_o.click("#run-schedule")
    page_o.wait_for_url("**/jobs/*/")
    page_o.context.close()  # the job page polls for progress: stop it before the run so no request is left in flight
    assert run_pending()[0].status == "succeeded"

    page.goto(f"{base}/events/{event.pk}/agenda/")
    row = page.locator("#agenda tr[data-meeting]")
    assert row.count() == 1 and "budi" in row.inner_text() and "14:00" in row.inner_text()
    page_b.goto(f"{base}/events/{event.pk}/agenda/")
    row_b = page_b.locator("#agenda tr[data-meeting]")
    assert row_b.count() == 1 and "alice" in row_b.inner_text()
    assert "13:00" in row_b.inner_text()  # Budi sees Jakarta time, with the Nanning time beside it
    page_b.click("#agenda button[name=accept][value='1']")
    page_b.wait_for_selector("#agenda >> text=已接受")
    page_b.screenshot(path=str(tmp_path / "agenda.png"), full_page=True)
    page.context.close()
    page_b.context.close()
