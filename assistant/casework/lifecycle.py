"""Where a referral stands between intake and its final decision: one shared transitions Machine.

Pure: no Flask or SQLAlchemy. The service (``decisions.py``) loads a referral's status into a
``Case``, asks the machine to move it, and stores what changed. The machine's transitions carry
the guards; when one stops a step, the refusal names that guard.

NRM referrals get a Reasonable Grounds (RG) decision, then, once the recovery period is over, a
Conclusive Grounds (CG) decision. A negative decision only takes effect once a panel member who
did not propose it upholds it; sent back, the referral returns to the decision it came from. The
first responder may ask for a negative decision to be reconsidered with new information, which
reopens that decision. Duty to Notify reports are not decided: each is passed to a police force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from transitions import Machine
from transitions.core import EventData

from ..accounts.roles import Role

AWAITING_RG = "awaiting-rg"
RG_NEGATIVE_PROPOSED = "rg-negative-proposed"
RG_POSITIVE = "rg-positive"  # the recovery period, then awaiting CG
RG_NEGATIVE = "rg-negative"
CG_NEGATIVE_PROPOSED = "cg-negative-proposed"
CG_POSITIVE = "cg-positive"
CG_NEGATIVE = "cg-negative"
DTN_RECEIVED = "dtn-received"
PASSED_TO_POLICE = "passed-to-police"

STATES = (
    AWAITING_RG,
    RG_NEGATIVE_PROPOSED,
    RG_POSITIVE,
    RG_NEGATIVE,
    CG_NEGATIVE_PROPOSED,
    CG_POSITIVE,
    CG_NEGATIVE,
    DTN_RECEIVED,
    PASSED_TO_POLICE,
)
PANEL_STATES = (RG_NEGATIVE_PROPOSED, CG_NEGATIVE_PROPOSED)
FINAL_NEGATIVE = (RG_NEGATIVE, CG_NEGATIVE)
# A caseworker has something to decide in these states (RG_POSITIVE only once recovery is over).
CASEWORK_STATES = (AWAITING_RG, RG_POSITIVE, DTN_RECEIVED)

# Who may take each action.
ACTIONS: dict[str, Role] = {
    "rg-positive": Role.CASEWORKER,
    "rg-negative": Role.CASEWORKER,
    "cg-positive": Role.CASEWORKER,
    "cg-negative": Role.CASEWORKER,
    "pass-to-police": Role.CASEWORKER,
    "uphold": Role.PANEL,
    "send-back": Role.PANEL,
    "reconsider": Role.FIRST_RESPONDER,
}
NEEDS_REASONS = frozenset(
    {"rg-positive", "rg-negative", "cg-positive", "cg-negative", "uphold", "send-back", "reconsider"}
)

# The guards of the transitions below (methods of Case), each with the refusal code it gives.
GUARDS = {"recovery_over": "recovery_period", "independent": "not_independent"}
_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "rg-positive", "source": AWAITING_RG, "dest": RG_POSITIVE},
    {"trigger": "rg-negative", "source": AWAITING_RG, "dest": RG_NEGATIVE_PROPOSED},
    {"trigger": "cg-positive", "source": RG_POSITIVE, "dest": CG_POSITIVE, "conditions": "recovery_over"},
    {"trigger": "cg-negative", "source": RG_POSITIVE, "dest": CG_NEGATIVE_PROPOSED, "conditions": "recovery_over"},
    {"trigger": "uphold", "source": RG_NEGATIVE_PROPOSED, "dest": RG_NEGATIVE, "conditions": "independent"},
    {"trigger": "uphold", "source": CG_NEGATIVE_PROPOSED, "dest": CG_NEGATIVE, "conditions": "independent"},
    {"trigger": "send-back", "source": RG_NEGATIVE_PROPOSED, "dest": AWAITING_RG, "conditions": "independent"},
    {"trigger": "send-back", "source": CG_NEGATIVE_PROPOSED, "dest": RG_POSITIVE, "conditions": "independent"},
    {"trigger": "reconsider", "source": RG_NEGATIVE, "dest": AWAITING_RG},
    {"trigger": "reconsider", "source": CG_NEGATIVE, "dest": RG_POSITIVE},
    {"trigger": "pass-to-police", "source": DTN_RECEIVED, "dest": PASSED_TO_POLICE},
]


class NotAllowed(Exception):
    """The action cannot be taken on this referral now; ``code`` says why (docs/casework.md)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Case:
    """What the machine needs to know about a referral, and the actor of the step being tried."""

    state: str
    actor_id: int
    now: dt.datetime
    recovery_ends_at: dt.datetime | None = None
    proposed_by_id: int | None = None

    def recovery_over(self, event: Any = None) -> bool:
        return self.recovery_ends_at is not None and self.now >= self.recovery_ends_at

    def independent(self, event: Any = None) -> bool:
        return self.actor_id != self.proposed_by_id


@dataclass(frozen=True)
class Step:
    """What an allowed action changes."""

    status: str
    recovery_ends_at: dt.datetime | None
    proposed_by_id: int | None


MACHINE = Machine(
    model=None, states=list(STATES), transitions=_TRANSITIONS, initial=AWAITING_RG, auto_transitions=False, queued=False
)


def initial_status(kind: str) -> str:
    return DTN_RECEIVED if kind == "dtn" else AWAITING_RG


def role_for(action: str) -> str:
    """Who may take ``action``; NotAllowed("unknown_action") for anything that is not an action."""
    if action not in ACTIONS:
        raise NotAllowed("unknown_action")
    return ACTIONS[action]


def allowed(state: str) -> list[str]:
    """The actions the machine has from ``state`` (guards aside)."""
    triggers = MACHINE.get_triggers(state)
    return [name for name in ACTIONS if name in triggers]


def apply(case: Case, action: str, recovery_period: dt.timedelta) -> Step:
    """Take ``action`` on ``case``: the machine moves it, or NotAllowed says why it would not."""
    role_for(action)
    if action not in allowed(case.state):
        raise NotAllowed("wrong_status")
    if not MACHINE.events[action].trigger(case):
        raise NotAllowed(_failed_guard(case, action))
    recovery_ends_at = case.recovery_ends_at
    if action == "rg-positive":
        recovery_ends_at = case.now + recovery_period
    proposed_by_id = case.actor_id if case.state in PANEL_STATES else None
    return Step(status=case.state, recovery_ends_at=recovery_ends_at, proposed_by_id=proposed_by_id)


def _failed_guard(case: Case, action: str) -> str:
    """The refusal code of the first guard that stopped the machine taking ``action`` on ``case``."""
    event = MACHINE.events[action]
    data = EventData(MACHINE.get_state(case.state), event, MACHINE, case, (), {})
    for transition in event.transitions[case.state]:
        data.transition = transition
        for condition in transition.conditions:
            # the guards are named methods (strings) in _TRANSITIONS
            if isinstance(condition.func, str) and not condition.check(data):
                return GUARDS[condition.func]
    raise AssertionError(f"{action} from {case.state}: the machine refused with every guard holding")
