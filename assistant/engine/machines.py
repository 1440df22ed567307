"""One shared transitions Machine per flow version, built once; conversations never get their own.

The machine is the routing oracle: its states are the flow's questions plus the review and the
receipt, and its ``advance`` event carries each question's routing rules as guarded transitions, in
order, so the first rule whose condition holds wins. Conversations are plain cursors triggered
through ``machine.events[...]`` without being added to the machine (the pattern the transitions
FAQ recommends for many short-lived models).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transitions import Machine

from .conditions import Condition
from .ids import REVIEW, SUBMITTED
from .spec import Flow


class Cursor:
    """The minimal model the machine moves: a state and the answers its conditions read."""

    def __init__(self, state: str, answers: Mapping[str, Any]) -> None:
        self.state = state
        self.answers = answers


def _guard(condition: Condition) -> Any:
    return lambda event: condition(event.model.answers)


def build_machine(flow: Flow) -> Machine:
    """Build the machine for one flow version."""
    transitions: list[dict[str, Any]] = []
    for question in flow.questions.values():
        for route in question.routes:
            transition: dict[str, Any] = {"trigger": "advance", "source": question.id, "dest": route.target}
            if route.condition is not None:
                transition["conditions"] = [_guard(route.condition)]
            transitions.append(transition)
    return Machine(
        model=None,
        states=[*flow.questions, REVIEW, SUBMITTED],
        transitions=transitions,
        initial=flow.start,
        auto_transitions=False,
        send_event=True,
        queued=False,
    )


def advance(machine: Machine, state: str, answers: Mapping[str, Any]) -> str:
    """The state that follows ``state`` given ``answers``."""
    cursor = Cursor(state, answers)
    machine.events["advance"].trigger(cursor)
    return cursor.state


def mermaid(flow: Flow) -> str:
    """A Mermaid state diagram of the flow's routing."""
    lines = ["stateDiagram-v2", f"    [*] --> {_node(flow.start)}"]
    for question in flow.questions.values():
        for route in question.routes:
            label = f" : {route.condition.source}" if route.condition else ""
            lines.append(f"    {_node(question.id)} --> {_node(route.target)}{label}")
    lines.append(f"    {_node(REVIEW)} --> {_node(SUBMITTED)}")
    lines.append(f"    {_node(SUBMITTED)} --> [*]")
    return "\n".join(lines) + "\n"


def _node(state: str) -> str:
    return state.replace("-", "_")
