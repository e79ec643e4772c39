"""Events services: the bad input named in the issue, each handled clearly with nothing lost."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError
from kechuang.events import services
from kechuang.events.errors import EventError
from kechuang.events.models import (
    Event,
    EventKind,
    Meeting,
    MeetingRequest,
    Outcome,
    Registration,
    RoadshowApplication,
    Session,
)
from kechuang.events.stats import event_statistics
from kechuang.jobs.queue import run_pending
from kechuang.testing import make_org, make_user

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_overlapping_sessions_in_one_room_are_refused(event, admin_user):
    first = services.do_add_session(
        event,
        acting_user=admin_user,
        title="开幕式",
        room="A厅",
        starts_at=dt.datetime(2026, 9, 15, 9, 0),
        ends_at=dt.datetime(2026, 9, 15, 10, 0),
    )
    with pytest.raises(DomainError) as exc:
        services.do_add_session(
            event,
            acting_user=admin_user,
            title="主旨报告",
            room="A厅",
            starts_at=dt.datetime(2026, 9, 15, 9, 30),
            ends_at=dt.datetime(2026, 9, 15, 10, 30),
        )
    assert exc.value.code == EventError.SESSION_OVERLAP and "开幕式" in str(exc.value.message)
    assert exc.value.details == {"conflict_session_id": first.pk}
    # back to back in the same room and overlapping in another room are fine
    services.do_add_session(
        event,
        acting_user=admin_user,
        title="主旨报告",
        room="A厅",
        starts_at=dt.datetime(2026, 9, 15, 10, 0),
        ends_at=dt.datetime(2026, 9, 15, 11, 0),
    )
    services.do_add_session(
        event,
        acting_user=admin_user,
        title="分论坛",
        room="B厅",
        starts_at=dt.datetime(2026, 9, 15, 9, 30),
        ends_at=dt.datetime(2026, 9, 15, 10, 30),
    )
    assert Session.objects.filter(event=event).count() == 3
    # the same wall-clock time given in Jakarta time is 10:30 in Nanning: overlaps the 10:00–11:00 talk
    with pytest.raises(DomainError):
        services.do_add_session(
            event,
            acting_user=admin_user,
            title="线上分享",
            room="A厅",
            starts_at=dt.datetime(2026, 9, 15, 9, 30, tzinfo=JAKARTA),
            ends_at=dt.datetime(2026, 9, 15, 9, 45, tzinfo=JAKARTA),
        )


def test_naive_times_are_read_in_the_event_time_zone_and_shown_in_the_participant_zone(event, admin_user):
    session = services.do_add_session(
        event,
        acting_user=admin_user,
        title="开幕式",
        room="A厅",
        starts_at=dt.datetime(2026, 9, 15, 9, 0),
        ends_at=dt.datetime(2026, 9, 15, 10, 0),
    )
    assert session.starts_at == dt.datetime(2026, 9, 15, 1, 0, tzinfo=dt.UTC)
    assert session.starts_at.astimezone(JAKARTA).hour == 8  # a participant in Jakarta sees 08:00
    with pytest.raises(DomainError) as exc:
        services.do_create_event(
            acting_user=admin_user,
            kind=EventKind.TECH_MATCH,
            title="x",
            timezone="Asia/Djakarta",
            starts_at=dt.datetime(2026, 9, 15, 8),
            ends_at=dt.datetime(2026, 9, 15, 9),
            organiser=event.organiser,
        )
    assert exc.value.code == EventError.BAD_TIMEZONE


def test_jakarta_event_and_participant_time_zone_mismatch(admin_user, department, bob):
    ev = services.do_create_event(
        acting_user=admin_user,
        kind=EventKind.BANK_ENTERPRISE,
        title="雅加达银企对接会",
        timezone="Asia/Jakarta",
        starts_at=dt.datetime(2026, 10, 1, 9),
        ends_at=dt.datetime(2026, 10, 1, 17),
        organiser=department,
        status=Event.Status.PUBLISHED,
        requires_approval=False,
    )
    assert ev.starts_at.astimezone(SHANGHAI).hour == 10
    with pytest.raises(DomainError) as exc:
        services.do_register(ev, acting_user=bob, timezone_name="Jakarta")
    assert exc.value.code == EventError.BAD_TIMEZONE and "Asia/Jakarta" in str(exc.value.message)
    assert not Registration.objects.filter(event=ev).exists()


def test_registration_past_the_quota_waitlists_then_promotes(event, admin_user, alice, bob, outsider):
    services.do_update_event(event, acting_user=admin_user, quota=1)
    first = services.do_register(event, acting_user=alice)
    second = services.do_register(event, acting_user=bob)
    assert (first.status, second.status) == (Registration.Status.APPROVED, Registration.Status.WAITLISTED)
    with pytest.raises(DomainError) as exc:
        services.do_decide_registration(second, approve=True, acting_user=admin_user)
    assert exc.value.code == EventError.EVENT_FULL
    with pytest.raises(DomainError) as exc:
        services.do_register(event, acting_user=alice)
    assert exc.value.code == EventError.DUPLICATE
    services.do_withdraw_registration(first, acting_user=alice)
    second.refresh_from_db()
    assert second.status == Registration.Status.APPROVED  # the waitlist moved up, nobody lost
    assert AuditEntry.objects.filter(action="events.registration.promote", target_id=str(second.pk)).exists()


def test_registration_past_the_quota_refused_clearly_when_no_waitlist(event, admin_user, alice, bob):
    services.do_update_event(event, acting_user=admin_user, quota=1, when_full=Event.WhenFull.REFUSE)
    services.do_register(event, acting_user=alice)
    with pytest.raises(DomainError) as exc:
        services.do_register(event, acting_user=bob)
    assert exc.value.code == EventError.EVENT_FULL and "1" in str(exc.value.message)
    assert not Registration.objects.filter(event=event, user=bob).exists()
    with pytest.raises(DomainError):
        services.do_update_event(event, acting_user=admin_user, quota=0)


def test_registration_with_approval(event, admin_user, alice):
    services.do_update_event(event, acting_user=admin_user, requires_approval=True)
    reg = services.do_register(event, acting_user=alice)
    assert reg.status == Registration.Status.PENDING
    with pytest.raises(PermissionDenied):
        services.do_decide_registration(reg, approve=True, acting_user=alice)
    assert (
        services.do_decide_registration(reg, approve=True, acting_user=admin_user).status
        == Registration.Status.APPROVED
    )
    with pytest.raises(DomainError):
        services.do_decide_registration(reg, approve=False, acting_user=admin_user)
    other = make_user("frank", org=make_org("被拒企业"))
    refused = services.do_decide_registration(
        services.do_register(event, acting_user=other), approve=False, acting_user=admin_user
    )
    with pytest.raises(DomainError):  # a refusal is not undone by registering again
        services.do_register(event, acting_user=other)
    refused.refresh_from_db()
    assert refused.status == Registration.Status.REFUSED


def test_meeting_requests_refuse_self_duplicates_and_withdrawn(
    event, registered, alice, bob, participant_factory
):
    a, b = registered
    with pytest.raises(DomainError) as exc:
        services.do_request_meeting(a, a, acting_user=alice)
    assert exc.value.code == EventError.SELF_MEETING
    with pytest.raises(PermissionDenied):
        services.do_request_meeting(a, b, acting_user=bob)  # nobody asks in someone else's name
    services.do_request_meeting(a, b, acting_user=alice)
    with pytest.raises(DomainError) as exc:
        services.do_request_meeting(a, b, acting_user=alice)
    assert exc.value.code == EventError.DUPLICATE
    carol_user, carol = participant_factory()
    services.do_withdraw_registration(carol, acting_user=carol_user)
    with pytest.raises(DomainError) as exc:
        services.do_request_meeting(a, carol, acting_user=alice)
    assert exc.value.code == EventError.NOT_PARTICIPANT
    assert MeetingRequest.objects.filter(event=event).count() == 1


def test_schedule_job_accept_decline_and_minimal_replan(
    event, admin_user, registered, alice, bob, participant_factory, django_capture_on_commit_callbacks
):
    a, b = registered
    others = [participant_factory() for _ in range(4)]
    services.do_request_meeting(a, b, acting_user=alice)
    services.do_request_meeting(b, a, acting_user=bob)  # mutual
    for user, reg in others:
        services.do_request_meeting(reg, a, acting_user=user)
        services.do_request_meeting(reg, b, acting_user=user)
    job = services.do_schedule_meetings(event, acting_user=admin_user)
    [done] = run_pending()
    assert done.pk == job.pk and done.status == "succeeded", done.error
    assert done.result["mutual_placed"] == 1
    meetings = {(m.low_id, m.high_id): m for m in Meeting.objects.filter(event=event)}
    assert meetings[(a.pk, b.pk)].status == Meeting.Status.SCHEDULED and meetings[(a.pk, b.pk)].mutual
    scheduled = [m for m in meetings.values() if m.status == Meeting.Status.SCHEDULED]
    assert (
        len(scheduled) == 7
    )  # the optimum: alice–bob in one slot, then alice and bob each with one other per slot
    before = {m.pk: (m.slot_id, m.table) for m in scheduled}

    # bob declines one meeting: its table is freed, a re-plan is queued, nothing else moves
    declined = next(m for m in scheduled if b.pk in (m.low_id, m.high_id) and not m.mutual)
    with django_capture_on_commit_callbacks(execute=True):
        services.do_respond_meeting(declined, accept=False, acting_user=bob)
    mutual = meetings[(a.pk, b.pk)]
    services.do_respond_meeting(mutual, accept=True, acting_user=alice)
    [replan] = run_pending()
    assert replan.status == "succeeded" and replan.result["kept"] == 6, replan.result
    now = {
        m.pk: (m.slot_id, m.table)
        for m in Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED)
    }
    assert {pk: place for pk, place in before.items() if pk != declined.pk} == {
        pk: now[pk] for pk in before if pk != declined.pk
    }
    assert len(now) == 7  # the freed place went to a request that had none
    mutual.refresh_from_db()
    assert mutual.low_response == Meeting.Response.ACCEPTED  # an unmoved meeting keeps its confirmations
    declined.refresh_from_db()
    assert declined.status == Meeting.Status.DECLINED
    with pytest.raises(DomainError):
        services.do_request_meeting(
            declined.low if declined.low_id != b.pk else declined.high,
            b,
            acting_user=(declined.low if declined.low_id != b.pk else declined.high).user,
        )


def test_withdrawal_and_changed_availability_replan_only_what_they_touch(
    event, admin_user, participant_factory, django_capture_on_commit_callbacks
):
    people = [participant_factory() for _ in range(6)]
    (u0, r0), (u1, r1), (u2, r2), (u3, r3), (u4, r4), (u5, r5) = people
    for (ua, ra), (_ub, rb) in [
        (people[0], people[1]),
        (people[2], people[3]),
        (people[4], people[5]),
        (people[0], people[2]),
    ]:
        services.do_request_meeting(ra, rb, acting_user=ua)
    services.do_schedule_meetings(event, acting_user=admin_user)
    run_pending()
    placed = {
        (m.low_id, m.high_id): (m.slot_id, m.table)
        for m in Meeting.objects.filter(event=event, status="scheduled")
    }
    assert len(placed) == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.do_withdraw_registration(r5, acting_user=u5)
    assert Meeting.objects.get(low=r4, high=r5).status == Meeting.Status.CANCELLED
    # r1 can no longer attend the slot of their meeting with r0
    slot_id = placed[(r0.pk, r1.pk)][0]
    with django_capture_on_commit_callbacks(execute=True):
        services.do_set_availability(r1, unavailable_slot_ids=[slot_id], acting_user=u1)
    jobs = run_pending()
    assert len(jobs) == 1 and jobs[0].status == "succeeded", [
        j.error for j in jobs
    ]  # one re-plan for both changes
    after = {
        (m.low_id, m.high_id): (m.slot_id, m.table)
        for m in Meeting.objects.filter(event=event, status="scheduled")
    }
    assert after[(r2.pk, r3.pk)] == placed[(r2.pk, r3.pk)]
    assert after[(r0.pk, r2.pk)] == placed[(r0.pk, r2.pk)]
    assert after[(r0.pk, r1.pk)][0] != slot_id  # moved out of the slot r1 cannot attend
    assert (r4.pk, r5.pk) not in after


def test_badge_check_in_at_the_door(event, admin_user, registered, alice):
    a, _b = registered
    token = services.badge_token(a)
    assert services.do_check_in(event, token, acting_user=admin_user).checked_in_at is not None
    with pytest.raises(DomainError) as exc:
        services.do_check_in(event, token, acting_user=admin_user)
    assert exc.value.code == EventError.ALREADY_CHECKED_IN
    with pytest.raises(DomainError) as exc:
        services.do_check_in(event, token[:-2] + "xx", acting_user=admin_user)
    assert exc.value.code == EventError.BAD_BADGE
    with pytest.raises(PermissionDenied):
        services.do_check_in(event, token, acting_user=alice)


def test_roadshow_call_apply_select_schedule(event, admin_user, alice, bob, outsider):
    call = services.do_open_roadshow_call(
        event,
        acting_user=admin_user,
        title="先进制造路演",
        minutes_per_project=15,
        closes_at=dt.datetime(2030, 1, 1, 0, 0),
    )
    first = services.do_apply_roadshow(call, acting_user=alice, title="智能传感器", techmarket_listing_id=42)
    second = services.do_apply_roadshow(call, acting_user=bob, title="专利质押扩产", financing_need_id=7)
    with pytest.raises(DomainError):
        services.do_apply_roadshow(call, acting_user=alice, title="智能传感器")
    with pytest.raises(PermissionDenied):
        services.do_apply_roadshow(call, acting_user=outsider, title="无单位项目")
    with pytest.raises(PermissionDenied):
        services.do_select_application(first, selected=True, acting_user=bob)
    services.do_select_application(first, selected=True, score=80, acting_user=admin_user)
    services.do_select_application(second, selected=True, score=90, acting_user=admin_user)
    session = services.do_add_session(
        event,
        acting_user=admin_user,
        title="路演专场",
        room="C厅",
        kind=Session.Kind.ROADSHOW,
        starts_at=dt.datetime(2026, 9, 15, 10, 0),
        ends_at=dt.datetime(2026, 9, 15, 10, 30),
    )
    ordered = services.do_schedule_roadshow(call, session, acting_user=admin_user)
    assert [a.title for a in ordered] == ["专利质押扩产", "智能传感器"]
    first.refresh_from_db()
    assert first.starts_at.astimezone(SHANGHAI).strftime("%H:%M") == "10:15"
    third = services.do_apply_roadshow(call, acting_user=alice, title="第三个项目")
    services.do_select_application(third, selected=True, score=70, acting_user=admin_user)
    with pytest.raises(DomainError) as exc:
        services.do_schedule_roadshow(call, session, acting_user=admin_user)
    assert "2" in str(exc.value.message)
    assert RoadshowApplication.objects.get(pk=third.pk).starts_at is None


def test_outcomes_statistics_and_who_may_record(
    event, admin_user, registered, alice, bob, acme, globex, django_assert_num_queries
):
    a, b = registered
    services.do_request_meeting(a, b, acting_user=alice)
    services.do_schedule_meetings(event, acting_user=admin_user)
    run_pending()
    meeting = Meeting.objects.get(event=event)
    services.do_respond_meeting(meeting, accept=True, acting_user=alice)
    services.do_respond_meeting(meeting, accept=True, acting_user=bob)
    for reg in (a, b):
        services.do_check_in(event, services.badge_token(reg), acting_user=admin_user)
    services.do_record_outcome(
        event,
        acting_user=alice,
        kind=Outcome.Kind.INTENTION,
        deal_type="joint_rd",
        title="联合研发",
        parties=[acme, globex],
        meeting=meeting,
    )
    with pytest.raises(PermissionDenied):
        services.do_record_outcome(
            event,
            acting_user=alice,
            kind=Outcome.Kind.SIGNING,
            deal_type="loan",
            title="签约",
            parties=[acme],
            meeting=meeting,
            amount_fen=100,
        )
    with pytest.raises(DomainError):
        services.do_record_outcome(
            event,
            acting_user=admin_user,
            kind=Outcome.Kind.SIGNING,
            deal_type="loan",
            title="签约",
            parties=[acme],
            amount_fen=-5,
        )
    services.do_record_outcome(
        event,
        acting_user=admin_user,
        kind=Outcome.Kind.SIGNING,
        deal_type="pledge_loan",
        title="知识产权质押贷款",
        parties=[acme, globex],
        meeting=meeting,
        amount_fen=94_000_000_00,
    )
    with django_assert_num_queries(5):  # however many registrations, meetings and outcomes
        stats = event_statistics(event)
    assert stats["registrations"] == 2 and stats["attendance"] == 2
    assert stats["meetings_held"] == 1 and stats["projects_matched"] == 1
    assert stats["signings"] == 1 and stats["signed_amount_fen"] == 94_000_000_00 and stats["intentions"] == 1
    assert stats["by_type"] == [{"type": "知识产权质押贷款", "n": 1, "amount_wan": 9400}]


def test_permissions_of_event_management(event, alice, liuzhou_reviewer, admin_user, department):
    with pytest.raises(PermissionDenied):
        services.do_create_event(
            acting_user=alice,
            kind=EventKind.ROADSHOW,
            title="x",
            organiser=department,
            starts_at=dt.datetime(2026, 9, 1, 9),
            ends_at=dt.datetime(2026, 9, 1, 10),
        )
    with pytest.raises(PermissionDenied):  # a Liuzhou official does not run a Nanning event
        services.do_add_session(
            event,
            acting_user=liuzhou_reviewer,
            title="x",
            room="A",
            starts_at=dt.datetime(2026, 9, 15, 9),
            ends_at=dt.datetime(2026, 9, 15, 10),
        )
    with pytest.raises(PermissionDenied):
        services.do_create_event(
            acting_user=liuzhou_reviewer,
            kind=EventKind.ROADSHOW,
            title="x",
            organiser=department,
            city="450100",
            starts_at=dt.datetime(2026, 9, 1, 9),
            ends_at=dt.datetime(2026, 9, 1, 10),
        )
    own = services.do_create_event(
        acting_user=liuzhou_reviewer,
        kind=EventKind.ROADSHOW,
        title="柳州路演",
        organiser=department,
        city="450200",
        starts_at=dt.datetime(2026, 9, 1, 9),
        ends_at=dt.datetime(2026, 9, 1, 10),
    )
    assert own.city_id == "450200"


def test_translations_fall_back_to_english_then_to_the_original(event, admin_user):
    from django.utils import translation

    assert event.translation("vi").title == "中国—东盟技术对接会"  # nothing but the original yet
    services.do_set_translation(
        event, "en", title="China–ASEAN Technology Matchmaking", acting_user=admin_user
    )
    assert event.translation("en").title == "China–ASEAN Technology Matchmaking"
    # a Vietnamese reader the organiser wrote nothing for reads the English, not the Chinese
    assert event.translation("vi").title == "China–ASEAN Technology Matchmaking"
    assert event.translation("zh-hans").title == "中国—东盟技术对接会"
    with translation.override("en"):
        assert event.translation().title.startswith("China")
    with pytest.raises(DomainError):
        services.do_set_translation(event, "xx", title="?", acting_user=admin_user)


def test_stranger_cannot_withdraw_or_answer_for_others(event, registered, outsider, alice):
    a, b = registered
    with pytest.raises(PermissionDenied):
        services.do_withdraw_registration(a, acting_user=outsider)
    with pytest.raises(PermissionDenied):
        services.do_set_availability(a, unavailable_slot_ids=[], acting_user=outsider)
    other = make_user("dave", org=make_org("别家企业"))
    with pytest.raises(PermissionDenied):
        services.do_schedule_meetings(event, acting_user=other)


def test_outcome_follow_up_link(event, admin_user, alice, acme):
    outcome = services.do_record_outcome(
        event,
        acting_user=admin_user,
        kind=Outcome.Kind.SIGNING,
        deal_type="pledge_loan",
        title="质押贷款",
        parties=[acme],
        amount_fen=100_000_00,
    )
    with pytest.raises(DomainError):
        services.do_link_outcome(outcome, "loan 7", acting_user=admin_user)
    with pytest.raises(PermissionDenied):
        services.do_link_outcome(outcome, "pledge:loan:7", acting_user=alice)
    assert (
        services.do_link_outcome(outcome, "pledge:loan:7", acting_user=admin_user).follow_up_ref
        == "pledge:loan:7"
    )


def test_unplaced_meetings_say_why(event, admin_user, participant_factory):
    (u0, r0), (u1, r1), (u2, r2) = (participant_factory() for _ in range(3))
    slots = list(event.meeting_slots.all())
    services.do_set_availability(r2, unavailable_slot_ids=[s.pk for s in slots], acting_user=u2)
    services.do_request_meeting(r0, r2, acting_user=u0)
    services.do_request_meeting(r1, r0, acting_user=u1)
    services.do_apply_schedule(event, acting_user=admin_user)
    meetings = services.agenda(r0)
    reasons = services.explain_unplaced(r0, meetings)
    unplaced = next(m for m in meetings if m.status == Meeting.Status.UNPLACED)
    assert "没有共同" in reasons[unplaced.pk]
    assert len(reasons) == 1


def test_panel_reviews_average_and_conflict_of_interest(event, admin_user, alice, bob, acme):
    from kechuang.accounts.models import Role

    call = services.do_open_roadshow_call(
        event, acting_user=admin_user, title="征集", closes_at=dt.datetime(2030, 1, 1)
    )
    application = services.do_apply_roadshow(call, acting_user=alice, title="智能传感器")
    expert = make_user("expert1", org=make_org("广西大学", kind="university"), role=Role.EXPERT)
    conflicted = make_user("expert2", org=acme, role=Role.EXPERT)  # works for the applicant
    services.do_review_application(application, acting_user=expert, score=90)
    services.do_review_application(application, acting_user=admin_user, score=71)
    assert RoadshowApplication.objects.get(pk=application.pk).panel_score == 80
    services.do_review_application(application, acting_user=expert, score=70)  # changes their mind: replaces
    assert RoadshowApplication.objects.get(pk=application.pk).panel_score == 70
    assert application.reviews.count() == 2
    with pytest.raises(DomainError) as exc:
        services.do_review_application(application, acting_user=conflicted, score=100)
    assert exc.value.code == EventError.CONFLICT_OF_INTEREST
    with pytest.raises(PermissionDenied):
        services.do_review_application(application, acting_user=bob, score=100)
    with pytest.raises(DomainError):
        services.do_review_application(application, acting_user=expert, score=101)
    assert services.do_select_application(application, selected=True, acting_user=expert).status == "selected"
