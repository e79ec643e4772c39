"""Events API: same services as the pages, stable error codes, and who may NOT call each endpoint."""

import datetime as dt

import pytest

from kechuang.accounts.services import do_issue_api_token
from kechuang.events import services
from kechuang.events.models import Meeting, Registration, Session
from kechuang.jobs.queue import run_pending


def bearer(user):
    _token, key = do_issue_api_token(user, "api test", acting_user=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def api_users(alice, bob, admin_user, outsider, liuzhou_reviewer):
    return {u.username: bearer(u) for u in (alice, bob, admin_user, outsider, liuzhou_reviewer)}


def test_public_event_and_programme_in_jakarta_time(client, event, admin_user):
    services.do_add_session(
        event,
        acting_user=admin_user,
        title="开幕式",
        room="A厅",
        starts_at=dt.datetime(2026, 9, 15, 9, 0),
        ends_at=dt.datetime(2026, 9, 15, 10, 0),
    )
    services.do_set_translation(event, "id", title="Temu Teknologi Tiongkok–ASEAN", acting_user=admin_user)
    body = client.get(f"/api/events/events/{event.pk}?tz=Asia/Jakarta&lang=id").json()
    assert (
        body["title"] == "Temu Teknologi Tiongkok–ASEAN" and body["starts_at"] == "2026-09-15T07:00:00+07:00"
    )
    assert client.get(f"/api/events/events/{event.pk}?lang=th").json()["title"] == "中国—东盟技术对接会"
    items = client.get(f"/api/events/events/{event.pk}/programme?tz=Asia/Jakarta").json()
    assert items[0]["starts_at"] == "2026-09-15T08:00:00+07:00"
    bad = client.get(f"/api/events/events/{event.pk}?tz=Mars/Olympus")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_timezone"


def test_register_request_schedule_agenda_respond(client, event, api_users, alice, bob):
    r = client.post(
        f"/api/events/events/{event.pk}/registrations",
        {"timezone": "Asia/Jakarta"},
        content_type="application/json",
        **api_users["bob"],
    )
    assert r.status_code == 201 and r.json()["badge_code"]
    a = client.post(
        f"/api/events/events/{event.pk}/registrations",
        {},
        content_type="application/json",
        **api_users["alice"],
    ).json()
    again = client.post(
        f"/api/events/events/{event.pk}/registrations",
        {},
        content_type="application/json",
        **api_users["alice"],
    )
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    self_request = client.post(
        f"/api/events/events/{event.pk}/meeting-requests",
        {"target_registration_id": a["id"]},
        content_type="application/json",
        **api_users["alice"],
    )
    assert self_request.status_code == 400 and self_request.json()["code"] == "self_meeting"
    made = client.post(
        f"/api/events/events/{event.pk}/meeting-requests",
        {"target_registration_id": a["id"]},
        content_type="application/json",
        **api_users["bob"],
    )
    assert made.status_code == 201
    assert client.post(f"/api/events/events/{event.pk}/schedule", **api_users["bob"]).status_code == 403
    queued = client.post(f"/api/events/events/{event.pk}/schedule", **api_users["admin1"])
    assert queued.status_code == 202
    run_pending()
    agenda = client.get(f"/api/events/events/{event.pk}/agenda", **api_users["bob"]).json()
    assert len(agenda) == 1 and agenda[0]["starts_at"].endswith("+07:00") and agenda[0]["table"] == 1
    alice_view = client.get(f"/api/events/events/{event.pk}/agenda", **api_users["alice"]).json()
    assert (
        alice_view[0]["starts_at"].endswith("+08:00")
        and alice_view[0]["meeting_id"] == agenda[0]["meeting_id"]
    )
    meeting_id = agenda[0]["meeting_id"]
    assert (
        client.post(
            f"/api/events/meetings/{meeting_id}/respond",
            {"accept": False},
            content_type="application/json",
            **api_users["charlie"],
        ).status_code
        == 404
    )
    ok = client.post(
        f"/api/events/meetings/{meeting_id}/respond",
        {"accept": True},
        content_type="application/json",
        **api_users["alice"],
    )
    assert ok.status_code == 200 and ok.json()["my_response"] == "accepted"
    alice_reg = Registration.objects.get(event=event, user=alice)
    assert Meeting.objects.get(pk=meeting_id).response_of(alice_reg) == "accepted"


def test_api_refusals_for_outsiders_and_other_cities(client, event, api_users):
    assert client.get(f"/api/events/events/{event.pk}/agenda", **api_users["charlie"]).status_code == 404
    assert (
        client.post(
            f"/api/events/events/{event.pk}/sessions",
            {"title": "x", "room": "A", "starts_at": "2026-09-15T09:00", "ends_at": "2026-09-15T10:00"},
            content_type="application/json",
            **api_users["liuzhou1"],
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/events/events/{event.pk}/check-in",
            {"token": "x"},
            content_type="application/json",
            **api_users["alice"],
        ).status_code
        == 403
    )
    assert client.get(f"/api/events/events/{event.pk}/statistics", **api_users["alice"]).status_code == 404
    assert client.get(f"/api/events/events/{event.pk}/statistics", **api_users["liuzhou1"]).status_code == 404
    assert (
        client.post(
            f"/api/events/events/{event.pk}/registrations", {}, content_type="application/json"
        ).status_code
        == 401
    )
    assert not Session.objects.exists()


def test_api_sessions_overlap_and_statistics(client, event, api_users):
    url = f"/api/events/events/{event.pk}/sessions"
    first = client.post(
        url,
        {"title": "开幕式", "room": "A厅", "starts_at": "2026-09-15T09:00", "ends_at": "2026-09-15T10:00"},
        content_type="application/json",
        **api_users["admin1"],
    )
    assert first.status_code == 201 and first.json()["starts_at"] == "2026-09-15T09:00:00+08:00"
    # 08:30 Jakarta = 09:30 Nanning: overlaps
    clash = client.post(
        url,
        {
            "title": "x",
            "room": "A厅",
            "starts_at": "2026-09-15T08:30:00+07:00",
            "ends_at": "2026-09-15T09:00:00+07:00",
        },
        content_type="application/json",
        **api_users["admin1"],
    )
    assert clash.status_code == 409 and clash.json()["code"] == "session_overlap"
    stats = client.get(f"/api/events/events/{event.pk}/statistics", **api_users["admin1"])
    assert stats.status_code == 200 and stats.json()["signings"] == 0


def test_api_drafts_and_other_peoples_registrations(
    client, admin_user, department, event, api_users, registered
):
    draft = services.do_create_event(
        acting_user=admin_user,
        kind="roadshow",
        title="草稿",
        organiser=department,
        city="450100",
        starts_at=dt.datetime(2026, 9, 1, 9),
        ends_at=dt.datetime(2026, 9, 1, 10),
    )
    assert client.get(f"/api/events/events/{draft.pk}").status_code == 404
    assert client.get(f"/api/events/events/{draft.pk}/programme").status_code == 404
    assert all(e["id"] != draft.pk for e in client.get("/api/events/events").json())
    assert (
        client.get(f"/api/events/events/{event.pk}/registration", **api_users["charlie"]).status_code == 404
    )
    assert (
        client.post(
            f"/api/events/events/{event.pk}/registration/withdraw", **api_users["charlie"]
        ).status_code
        == 404
    )
    a, _b = registered
    refused = client.post(
        f"/api/events/events/{event.pk}/meeting-requests",
        {"target_registration_id": a.pk},
        content_type="application/json",
        **api_users["charlie"],
    )
    assert refused.status_code == 404
    mine = client.get(f"/api/events/events/{event.pk}/registration", **api_users["alice"]).json()
    assert mine["id"] == a.pk and mine["badge_code"]
    gone = client.post(f"/api/events/events/{event.pk}/registration/withdraw", **api_users["alice"])
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"


def test_api_outcomes_record_list_link_and_refusals(
    client, event, api_users, registered, alice, acme, globex, admin_user
):
    a, b = registered
    services.do_request_meeting(a, b, acting_user=alice)
    services.do_apply_schedule(event, acting_user=admin_user)
    meeting = Meeting.objects.get(event=event)
    url = f"/api/events/events/{event.pk}/outcomes"
    signing = {
        "kind": "signing",
        "deal_type": "pledge_loan",
        "title": "质押贷款",
        "party_ids": [acme.pk, globex.pk],
        "amount_fen": 940_000_000_00,
        "meeting_id": meeting.pk,
    }
    assert client.post(url, signing, content_type="application/json", **api_users["alice"]).status_code == 403
    intention = dict(signing, kind="intention", amount_fen=0)
    assert (
        client.post(url, intention, content_type="application/json", **api_users["alice"]).status_code == 201
    )
    assert (
        client.post(url, intention, content_type="application/json", **api_users["charlie"]).status_code
        == 403
    )
    made = client.post(url, signing, content_type="application/json", **api_users["admin1"])
    assert made.status_code == 201 and made.json()["amount_fen"] == 940_000_000_00
    assert client.get(url, **api_users["alice"]).status_code == 404
    listed = client.get(url, **api_users["admin1"]).json()
    assert {o["kind"] for o in listed} == {"signing", "intention"}
    link = f"/api/events/outcomes/{made.json()['id']}/link"
    assert (
        client.post(
            link, {"follow_up_ref": "pledge:loan:7"}, content_type="application/json", **api_users["bob"]
        ).status_code
        == 404
    )
    linked = client.post(
        link, {"follow_up_ref": "pledge:loan:7"}, content_type="application/json", **api_users["admin1"]
    )
    assert linked.status_code == 200 and linked.json()["follow_up_ref"] == "pledge:loan:7"
    bad = client.post(
        link, {"follow_up_ref": "loan seven"}, content_type="application/json", **api_users["admin1"]
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
