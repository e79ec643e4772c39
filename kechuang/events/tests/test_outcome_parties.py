"""Intentions are recorded by a meeting's parties, for themselves, once, with an amount within bounds."""

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.bounds import MAX_FEN
from kechuang.errors import DomainError, StateError
from kechuang.events import services
from kechuang.events.models import Meeting, Outcome
from kechuang.jobs.queue import run_pending
from kechuang.testing import make_org


@pytest.fixture
def meeting(event, admin_user, registered, alice, bob):
    a, b = registered
    services.do_request_meeting(a, b, acting_user=alice)
    services.do_schedule_meetings(event, acting_user=admin_user)
    run_pending()
    return Meeting.objects.get(event=event)


def intention(event, user, meeting, parties, amount_fen=0):
    return services.do_record_outcome(
        event,
        acting_user=user,
        kind=Outcome.Kind.INTENTION,
        deal_type="joint_rd",
        title="联合研发",
        parties=parties,
        amount_fen=amount_fen,
        meeting=meeting,
    )


def test_a_party_may_not_name_organisations_outside_the_meeting(event, meeting, alice, acme, globex):
    stranger = make_org("无关企业有限公司")
    with pytest.raises((DomainError, PermissionDenied)):
        intention(event, alice, meeting, [acme, stranger])
    assert not Outcome.objects.exists()


def test_a_party_records_for_itself_not_only_for_the_other_side(event, meeting, alice, globex):
    with pytest.raises((DomainError, PermissionDenied)):
        intention(event, alice, meeting, [globex])


def test_an_amount_beyond_the_money_bound_is_refused(event, meeting, alice, acme, globex):
    with pytest.raises(DomainError):
        intention(event, alice, meeting, [acme, globex], amount_fen=MAX_FEN + 1)


def test_a_meetings_intention_is_recorded_once(event, meeting, alice, bob, acme, globex):
    intention(event, alice, meeting, [acme, globex], amount_fen=100)
    with pytest.raises(StateError):
        intention(event, alice, meeting, [acme, globex], amount_fen=10**9)
    with pytest.raises(StateError):
        intention(event, bob, meeting, [acme, globex], amount_fen=10**9)
    assert Outcome.objects.count() == 1


def test_the_organiser_still_records_any_signing(event, admin_user, acme):
    outcome = services.do_record_outcome(
        event,
        acting_user=admin_user,
        kind=Outcome.Kind.SIGNING,
        deal_type="pledge_loan",
        title="质押贷款",
        parties=[acme],
        amount_fen=100_000_00,
    )
    assert outcome.pk
