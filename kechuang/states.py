"""State machines: one table per lifecycle decides which actions are allowed, who may take them, and which
buttons a page shows. Generalised from pledge's loan TRANSITIONS so that every domain refuses the same way.

A machine is data, ``{status: {action: (party, next status)}}``:

- ``step(obj, action)`` answers the next status or refuses with the one refusal message of the platform
  (``StateError``: code ``invalid_state``, HTTP 409, details naming the status and the action);
- ``available(user, obj)`` lists the actions this user may take on this object now, in table order, asking the
  machine's party predicates (``party -> predicate(user, obj)``); a page shows exactly these buttons;
- ``allows(obj, action)`` answers without raising (for templates and list filters).

Invariants: a machine never changes an object by itself and runs no query of its own (only the predicates do);
an action missing from the table for the current status is refused whoever asks; a party with no predicate
(``SYSTEM``) is never offered to a user.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kechuang.errors import StateError

SYSTEM = "system"  # steps the platform takes by itself (a job, a promotion from a waitlist): never a button

Predicate = Callable[[Any, Any], bool]
MACHINES: dict[type, "Machine"] = {}  # model class -> its lifecycle, for templates (`obj|allows:"action"`)


@dataclass(frozen=True)
class Step:
    party: str | tuple[str, ...]  # who may take the step: one party, or any of several
    to: str

    @property
    def parties(self) -> tuple[str, ...]:
        return self.party if isinstance(self.party, tuple) else (self.party,)


class Machine:
    """One lifecycle: its transitions, the action labels users read, and who each party is."""

    def __init__(
        self,
        name: str,
        transitions: Mapping[str, Mapping[str, tuple[str | tuple[str, ...], str]]],
        *,
        labels: Mapping[str, Any],
        parties: Mapping[str, Predicate] | None = None,
        field: str = "status",
        model: type | None = None,
    ):
        self.name = name
        self.transitions = {
            status: {action: Step(*step) for action, step in steps.items()}
            for status, steps in transitions.items()
        }
        self.labels = dict(labels)
        self.parties = dict(parties or {})
        self.field = field
        unlabelled = {a for steps in self.transitions.values() for a in steps} - set(self.labels)
        if unlabelled:
            raise ValueError(f"{name}: actions without a label: {sorted(unlabelled)}")
        if model is not None:
            MACHINES[model] = self

    def __repr__(self) -> str:
        return f"<Machine {self.name}>"

    def status_of(self, obj) -> str:
        return obj if isinstance(obj, str) else getattr(obj, self.field)

    def actions(self, status) -> list[str]:
        """Every action the table allows from this status (whoever may take it)."""
        return list(self.transitions.get(self.status_of(status), {}))

    def allows(self, obj, action: str) -> bool:
        return action in self.transitions.get(self.status_of(obj), {})

    def label(self, action: str) -> str:
        return str(self.labels.get(action, action))

    def refusal(self, obj, action: str) -> StateError:
        status = self.status_of(obj)
        display = getattr(obj, f"get_{self.field}_display", None)
        shown = display() if callable(display) else status
        return StateError(
            _("当前状态为“%(status)s”，不能执行“%(action)s”。")
            % {"status": shown, "action": self.label(action)},
            {"status": status, "action": action},
        )

    def step(self, obj, action: str) -> str:
        """The status after `action`, or the refusal when the table does not allow it from here."""
        step = self.transitions.get(self.status_of(obj), {}).get(action)
        if step is None:
            raise self.refusal(obj, action)
        return step.to

    def check(self, obj, *actions: str) -> None:
        """Refuse unless the table allows at least one of `actions` from the object's status."""
        if not any(self.allows(obj, a) for a in actions):
            raise self.refusal(obj, actions[0])

    def apply(self, obj, action: str) -> tuple[str, str]:
        """Set the object's status to the step's target (not saved); answers (before, after) for the audit."""
        before = self.status_of(obj)
        after = self.step(obj, action)
        setattr(obj, self.field, after)
        return before, after

    def available(self, user, obj, *, only: Iterable[str] | None = None) -> list[str]:
        """The actions this user may take on this object now (the page shows only these)."""
        wanted = None if only is None else set(only)
        out = []
        for action, step in self.transitions.get(self.status_of(obj), {}).items():
            if wanted is not None and action not in wanted:
                continue
            if any(self.may(party, user, obj) for party in step.parties):
                out.append(action)
        return out

    def may(self, party: str, user, obj) -> bool:
        predicate = self.parties.get(party)
        return predicate is not None and bool(predicate(user, obj))

    def buttons(self, user, obj) -> list[dict]:
        """`available` with the labels, as the templates want them."""
        return [{"action": a, "label": self.label(a)} for a in self.available(user, obj)]


def machine_for(obj) -> Machine:
    """The lifecycle of this object's model (registered with `Machine(..., model=...)`)."""
    return MACHINES[type(obj)]
