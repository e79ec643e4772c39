"""The one state-machine helper: a table decides what is allowed, who may do it, and how a refusal reads."""

import pytest

from kechuang.errors import ErrorCode, StateError
from kechuang.states import SYSTEM, Machine

DOOR = Machine(
    "test.door",
    {
        "closed": {"open": ("tenant", "open"), "lock": (("tenant", "caretaker"), "locked")},
        "open": {"close": ("tenant", "closed")},
        "locked": {"unlock": ("caretaker", "closed"), "wear": (SYSTEM, "locked")},
    },
    labels={"open": "开门", "close": "关门", "lock": "上锁", "unlock": "开锁", "wear": "老化"},
    parties={
        "tenant": lambda user, door: user == "tenant",
        "caretaker": lambda user, door: user == "caretaker",
    },
)


class Door:
    def __init__(self, status):
        self.status = status


def test_a_step_in_the_table_answers_the_next_status():
    assert DOOR.step(Door("closed"), "open") == "open"
    assert DOOR.allows("open", "close") and not DOOR.allows("open", "lock")


def test_a_step_not_in_the_table_is_refused_with_the_state_code_and_what_was_asked():
    with pytest.raises(StateError) as refusal:
        DOOR.step(Door("open"), "lock")
    assert refusal.value.code == ErrorCode.INVALID_STATE and refusal.value.status == 409
    assert refusal.value.details == {"status": "open", "action": "lock"}


def test_apply_sets_the_status_and_answers_before_and_after():
    door = Door("closed")
    assert DOOR.apply(door, "lock") == ("closed", "locked")
    assert door.status == "locked"


def test_check_passes_when_any_of_the_actions_is_allowed():
    DOOR.check(Door("closed"), "close", "open")
    with pytest.raises(StateError):
        DOOR.check(Door("locked"), "open", "close")


def test_available_actions_follow_the_party_and_never_offer_system_steps():
    assert DOOR.available("tenant", Door("closed")) == ["open", "lock"]
    assert DOOR.available("caretaker", Door("closed")) == ["lock"]
    assert DOOR.available("caretaker", Door("locked")) == ["unlock"]
    assert DOOR.available("stranger", Door("closed")) == []
    assert DOOR.buttons("tenant", Door("open")) == [{"action": "close", "label": "关门"}]


def test_every_action_needs_a_label():
    with pytest.raises(ValueError, match="without a label"):
        Machine("test.bad", {"a": {"go": ("x", "b")}}, labels={})
