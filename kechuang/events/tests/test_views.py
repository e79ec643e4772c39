"""Pages: what each actor sees, and who may NOT use each page (outsider, other organisation, wrong role)."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.events import services
from kechuang.events.models import Event, EventKind, Meeting, MeetingRequest, Registration, Session
from kechuang.jobs.queue import run_pending
from kechuang.testing import make_org, make_user


@pytest.fixture
def draft(admin_user, department):
    return services.do_create_event(
        acting_user=admin_user,
        kind=EventKind.ROADSHOW,
        title="未发布路演",
        organiser=department,
        city="450100",
        starts_at=dt.datetime(2026, 9, 1, 9),
        ends_at=dt.datetime(2026, 9, 1, 12),
    )


def test_home_and_public_detail(client, event, draft, admin_user, login):
    page = client.get(reverse("events:home"))
    assert page.status_code == 200 and "中国—东盟技术对接会" in page.text and "未发布路演" not in page.text
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 404  # drafts are not public
    login(admin_user)
    assert "未发布路演" in client.get(reverse("events:home")).text
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 200


def test_detail_shows_times_in_the_participant_zone(client, event, admin_user, registered, bob, login):
    services.do_add_session(
        event,
        acting_user=admin_user,
        title="开幕式",
        room="A厅",
        starts_at=dt.datetime(2026, 9, 15, 9, 0),
        ends_at=dt.datetime(2026, 9, 15, 10, 0),
    )
    login(bob)  # registered from Jakarta
    page = client.get(reverse("events:detail", args=[event.pk])).text
    # in the reader's language (CLDR), the zone by its name rather than its database key
    assert "2026年9月15日 08:00" in page and "雅加达" in page and "2026年9月15日 09:00" in page
    assert "Asia/Jakarta" not in page and "Asia/Shanghai" not in page
    anonymous_jakarta = client.get(reverse("events:detail", args=[event.pk]) + "?tz=Asia/Jakarta")
    assert "08:00" in anonymous_jakarta.text


def test_register_request_schedule_agenda_through_pages(client, event, admin_user, alice, bob, login):
    login(alice)
    response = client.post(
        reverse("events:register", args=[event.pk]), {"timezone": "Asia/Shanghai", "wants_meetings": "on"}
    )
    assert response.status_code == 302
    login(bob)
    client.post(
        reverse("events:register", args=[event.pk]), {"timezone": "Asia/Jakarta", "wants_meetings": "on"}
    )
    a = Registration.objects.get(event=event, user=alice)
    page = client.get(reverse("events:participants", args=[event.pk]))
    assert page.status_code == 200 and "alice" in page.text
    client.post(reverse("events:request_meeting", args=[event.pk, a.pk]))
    assert MeetingRequest.objects.filter(target=a).count() == 1
    # a request to oneself through the page is refused with a message, nothing stored
    b = Registration.objects.get(event=event, user=bob)
    client.post(reverse("events:request_meeting", args=[event.pk, b.pk]), follow=True)
    assert MeetingRequest.objects.count() == 1
    login(admin_user)
    response = client.post(reverse("events:schedule", args=[event.pk]))
    assert response.status_code == 302 and "/jobs/" in response.url
    run_pending()
    for user in (alice, bob):
        login(user)
        agenda = client.get(reverse("events:agenda", args=[event.pk]))
        assert agenda.status_code == 200 and "data-meeting" in agenda.text
    meeting = Meeting.objects.get(event=event)
    ics = client.get(reverse("events:agenda_ics", args=[event.pk]))
    assert ics["Content-Type"].startswith("text/calendar") and "BEGIN:VEVENT" in ics.text
    assert f"DTSTART:{meeting.slot.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in ics.text
    client.post(reverse("events:respond", args=[event.pk, meeting.pk]), {"accept": "1"})
    meeting.refresh_from_db()
    assert meeting.response_of(b) == Meeting.Response.ACCEPTED


def test_participant_pages_are_closed_to_others(
    client, event, registered, outsider, login, admin_user, alice
):
    a, b = registered
    services.do_request_meeting(a, b, acting_user=alice)
    services.do_schedule_meetings(event, acting_user=admin_user)
    run_pending()
    meeting = Meeting.objects.get(event=event)
    for name in ("participants", "agenda", "badge"):
        assert (
            client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 302
        )  # anonymous: to login
    login(outsider)
    for name in ("participants", "agenda", "badge", "agenda_ics"):
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:request_meeting", args=[event.pk, a.pk])).status_code == 404
    assert (
        client.post(reverse("events:respond", args=[event.pk, meeting.pk]), {"accept": "0"}).status_code
        == 404
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_manager_pages_refuse_participants_and_other_cities(
    client, event, draft, alice, liuzhou_reviewer, approver, login
):
    manager_gets = ["manage", "check_in"]
    manager_posts = ["add_session", "add_slots", "open_call", "add_outcome", "schedule"]
    for user in (alice, liuzhou_reviewer, approver):
        login(user)
        for name in manager_gets:
            assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 403, (user, name)
            assert client.get(reverse(f"events:{name}", args=[draft.pk])).status_code == 404, (user, name)
        for name in manager_posts:
            assert client.post(reverse(f"events:{name}", args=[event.pk]), {}).status_code == 403, (
                user,
                name,
            )
        # a city official may create events of their own city; participants and approvers may not
        assert client.get(reverse("events:create")).status_code == (200 if user == liuzhou_reviewer else 403)
    assert not Session.objects.exists()


def test_manage_pages_work_for_the_organiser(client, event, admin_user, login, registered, alice):
    login(admin_user)
    assert client.get(reverse("events:manage", args=[event.pk])).status_code == 200
    response = client.post(
        reverse("events:add_session", args=[event.pk]),
        {
            "session-title": "开幕式",
            "session-kind": "talk",
            "session-room": "A厅",
            "session-starts_at": "2026-09-15T09:00",
            "session-ends_at": "2026-09-15T10:00",
        },
    )
    assert response.status_code == 302 and Session.objects.filter(event=event).count() == 1
    # the overlapping one is refused with the reason shown
    page = client.post(
        reverse("events:add_session", args=[event.pk]),
        {
            "session-title": "冲突",
            "session-kind": "talk",
            "session-room": "A厅",
            "session-starts_at": "2026-09-15T09:30",
            "session-ends_at": "2026-09-15T10:30",
        },
        follow=True,
    )
    assert "时间重叠" in page.text and Session.objects.filter(event=event).count() == 1
    a, _b = registered
    page = client.post(reverse("events:check_in", args=[event.pk]), {"token": services.badge_token(a)})
    assert page.status_code == 200 and "签到成功" in page.text
    page = client.post(reverse("events:check_in", args=[event.pk]), {"token": "forged"})
    assert "签到码无效" in page.text


def test_create_event_page(client, admin_user, login):
    bank = make_org("南宁银行股份有限公司", kind="bank")
    login(admin_user)
    assert client.get(reverse("events:create")).status_code == 200
    response = client.post(
        reverse("events:create"),
        {
            "kind": "bank_enterprise",
            "title": "银企对接会",
            "original_language": "zh-hans",
            "languages": ["zh-hans", "en"],
            "timezone": "Asia/Shanghai",
            "starts_at": "2026-11-01T09:00",
            "ends_at": "2026-11-01T17:00",
            "venue": "南宁",
            "city": "450100",
            "when_full": "waitlist",
            "requires_approval": "on",
            "status": "published",
            "partner_ids": f"{bank.pk}，{admin_user.organisation_id}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="银企对接会")
    assert set(event.partners.values_list("pk", flat=True)) == {bank.pk, admin_user.organisation_id}
    assert "南宁银行" in client.get(reverse("events:detail", args=[event.pk])).text
    assert event.starts_at == dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC)


def test_roadshow_pages(client, event, admin_user, alice, bob, outsider, login):
    call = services.do_open_roadshow_call(
        event, acting_user=admin_user, title="路演征集", closes_at=dt.datetime(2030, 1, 1)
    )
    url = reverse("events:roadshow", args=[event.pk, call.pk])
    login(alice)
    assert client.post(url, {"title": "智能传感器", "techmarket_listing_id": "12"}).status_code == 302
    login(bob)
    page = client.get(url)
    assert "智能传感器" not in page.text  # another organisation's application is not shown
    application = call.applications.get()
    assert (
        client.post(
            reverse("events:select_application", args=[event.pk, application.pk]), {"selected": "1"}
        ).status_code
        == 404
    )
    login(outsider)
    assert client.post(url, {"title": "无单位"}).status_code == 403
    login(admin_user)
    assert "智能传感器" in client.get(url).text
    client.post(
        reverse("events:select_application", args=[event.pk, application.pk]),
        {"selected": "1", "score": "88"},
    )
    application.refresh_from_db()
    assert application.status == "selected" and application.panel_score == 88


def test_stats_and_exports(client, event, admin_user, approver, alice, liuzhou_reviewer, login):
    login(approver)  # officials see statistics even if they do not organise
    page = client.get(reverse("events:stats", args=[event.pk]))
    assert page.status_code == 200 and 'data-chart="bar"' in page.text
    export = client.get(reverse("events:stats_export", args=[event.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    report = client.get(reverse("events:report_export") + "?year=2026")
    assert report.status_code == 200 and report.content[:2] == b"PK"
    overview = client.get(reverse("events:report") + "?year=2026")
    assert overview.status_code == 200 and "技术对接会" in overview.text
    assert overview.context["overview"]["total"]["events"] == 1
    for user in (alice, liuzhou_reviewer):
        login(user)
        assert client.get(reverse("events:stats", args=[event.pk])).status_code == 404
        assert client.get(reverse("events:stats_export", args=[event.pk])).status_code == 404
    login(alice)
    assert client.get(reverse("events:report_export")).status_code == 403
    assert client.get(reverse("events:report")).status_code == 403


def test_withdraw_through_page(client, event, registered, alice, login):
    login(alice)
    client.post(reverse("events:withdraw", args=[event.pk]))
    assert Registration.objects.get(event=event, user=alice).status == Registration.Status.WITHDRAWN
    other = make_user("eve", org=make_org("另一家企业"))
    login(other)
    assert client.post(reverse("events:withdraw", args=[event.pk])).status_code == 404


def test_translation_form_and_language_fallback_on_the_page(client, event, admin_user, alice, login):
    login(alice)
    assert (
        client.post(
            reverse("events:set_translation", args=[event.pk]), {"tr-language": "vi", "tr-title": "x"}
        ).status_code
        == 403
    )
    login(admin_user)
    client.post(
        reverse("events:set_translation", args=[event.pk]),
        {
            "tr-language": "vi",
            "tr-title": "Hội nghị kết nối công nghệ Trung Quốc–ASEAN",
            "tr-machine_translated": "on",
        },
    )
    assert event.translations.get(language="vi").machine_translated
    client.cookies["django_language"] = "vi"
    assert "Hội nghị kết nối" in client.get(reverse("events:detail", args=[event.pk])).text
    client.cookies["django_language"] = "th"
    assert "中国—东盟技术对接会" in client.get(reverse("events:detail", args=[event.pk])).text


def test_withdraw_a_meeting_request_from_the_page(client, event, registered, alice, bob, login):
    a, b = registered
    services.do_request_meeting(a, b, acting_user=alice)
    login(bob)  # not bob's request: nothing to withdraw
    assert client.post(reverse("events:withdraw_request", args=[event.pk, b.pk])).status_code == 404
    login(alice)
    client.post(reverse("events:withdraw_request", args=[event.pk, b.pk]))
    assert MeetingRequest.objects.get(requester=a).status == MeetingRequest.Status.WITHDRAWN


def test_remaining_pages_refuse_the_wrong_people(
    client, event, registered, approver, outsider, alice, bob, admin_user, login
):
    a, b = registered
    login(approver)  # an official does not register as a participant
    assert (
        client.post(reverse("events:register", args=[event.pk]), {"timezone": "Asia/Shanghai"}).status_code
        == 403
    )
    login(outsider)
    assert client.post(reverse("events:availability", args=[event.pk]), {"available": []}).status_code == 404
    assert client.post(reverse("events:withdraw_request", args=[event.pk, a.pk])).status_code == 404
    login(alice)
    assert client.post(reverse("events:decide", args=[event.pk, b.pk]), {"approve": "0"}).status_code == 403
    call = services.do_open_roadshow_call(
        event, acting_user=admin_user, title="征集", closes_at=dt.datetime(2030, 1, 1)
    )
    session = services.do_add_session(
        event,
        acting_user=admin_user,
        title="路演",
        room="C",
        starts_at=dt.datetime(2026, 9, 15, 10),
        ends_at=dt.datetime(2026, 9, 15, 11),
    )
    assert (
        client.post(
            reverse("events:schedule_roadshow", args=[event.pk, call.pk]), {"session": session.pk}
        ).status_code
        == 403
    )
    assert client.post(reverse("events:set_translation", args=[event.pk]), {}).status_code == 403
    b.refresh_from_db()
    assert b.status == Registration.Status.APPROVED


def test_edit_event_page(client, event, admin_user, alice, login):
    login(alice)
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403
    login(admin_user)
    page = client.get(reverse("events:edit", args=[event.pk]))
    assert page.status_code == 200 and 'value="2026-09-15T08:00"' in page.text  # the event's wall-clock time
    data = {
        "kind": "tech_match",
        "title": "改名后的对接会",
        "original_language": "zh-hans",
        "languages": ["zh-hans"],
        "timezone": "Asia/Shanghai",
        "starts_at": "2026-09-15T08:00",
        "ends_at": "2026-09-15T18:00",
        "city": "450100",
        "when_full": "refuse",
        "status": "published",
        "quota": "10",
    }
    assert client.post(reverse("events:edit", args=[event.pk]), data).status_code == 302
    event.refresh_from_db()
    assert event.title == "改名后的对接会" and event.quota == 10 and event.starts_at.hour == 0


def test_agenda_and_participants_query_counts_do_not_grow_with_meetings(
    client, event, admin_user, participant_factory, django_assert_max_num_queries, login
):
    people = [participant_factory() for _ in range(8)]
    me_user, me = people[0]
    for user, reg in people[1:]:
        services.do_request_meeting(reg, me, acting_user=user)
    services.do_schedule_meetings(event, acting_user=admin_user)
    run_pending()
    login(me_user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("events:agenda", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("events:participants", args=[event.pk])).status_code == 200
    login(admin_user)
    page = client.get(reverse("events:manage", args=[event.pk]))
    assert 'data-source="slot-loads"' in page.text
