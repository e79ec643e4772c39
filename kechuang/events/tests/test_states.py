"""The events lifecycles refuse through their tables (one code, one message) and offer only allowed actions."""

import pytest

from kechuang.errors import ErrorCode, StateError
from kechuang.events import services
from kechuang.events.models import Registration
from kechuang.events.states import REGISTRATION


def test_a_decided_registration_cannot_be_decided_again(event, admin_user, alice):
    event.requires_approval = True
    event.save(update_fields=["requires_approval"])
    reg = services.do_register(event, acting_user=alice)
    assert REGISTRATION.available(admin_user, reg) == ["approve", "refuse", "withdraw"]
    assert REGISTRATION.available(alice, reg) == ["withdraw"]
    services.do_decide_registration(reg, approve=False, acting_user=admin_user)
    with pytest.raises(StateError) as refusal:
        services.do_decide_registration(reg, approve=True, acting_user=admin_user)
    assert refusal.value.code == ErrorCode.INVALID_STATE
    assert refusal.value.details == {"status": Registration.Status.REFUSED, "action": "approve"}


def test_only_an_approved_registration_checks_in(event, admin_user, registered, alice):
    reg, _bob = registered
    services.do_withdraw_registration(reg, acting_user=alice)
    with pytest.raises(StateError) as refusal:
        services.do_check_in(event, services.badge_token(reg), acting_user=admin_user)
    assert refusal.value.details["action"] == "check_in"
