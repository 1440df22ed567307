"""The machine carries the guards: the lifecycle asks it, and explains a refusal by the guard that failed."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.casework import lifecycle
from assistant.casework.lifecycle import MACHINE, Case, NotAllowed

NOW = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)


def test_every_guard_on_the_machine_has_a_refusal_code() -> None:
    guards = {
        condition.func
        for event in MACHINE.events.values()
        for transitions in event.transitions.values()
        for transition in transitions
        for condition in transition.conditions
    }
    assert guards == set(lifecycle.GUARDS)


def test_a_step_the_machine_refuses_leaves_the_case_as_it_was() -> None:
    case = Case(state="rg-negative-proposed", actor_id=7, now=NOW, proposed_by_id=7)
    with pytest.raises(NotAllowed) as refused:
        lifecycle.apply(case, "uphold", dt.timedelta(days=30))
    assert refused.value.code == "not_independent"
    assert case.state == "rg-negative-proposed"


def test_who_may_take_an_action_is_asked_of_the_lifecycle() -> None:
    assert lifecycle.role_for("uphold") == "panel"
    with pytest.raises(NotAllowed) as refused:
        lifecycle.role_for("approve")
    assert refused.value.code == "unknown_action"
