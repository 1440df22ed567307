"""Errors raised by the engine. Messages are gettext message ids with named parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FlowProblem:
    """One problem in a flow file, located by file and line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class FlowError(Exception):
    """A flow file is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[FlowProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class TurnRejected(Exception):
    """The event cannot be applied; the conversation is unchanged.

    ``code`` is part of the protocol (docs/protocol.md); ``message`` is a message id to translate
    with ``params``.
    """

    code: str
    message: str | tuple[str, str]  # a (singular, plural) pair is chosen by params["num"]
    params: dict[str, Any] = field(default_factory=dict)
    question_id: str | None = None
    context: str | None = None  # set for a message from the flow file: translated in this context
    # For a grouped question: each field's own rejection (its question_id is the field's id).
    fields: tuple[TurnRejected, ...] = ()

    def __str__(self) -> str:
        text = self.message if isinstance(self.message, str) else self.message[self.params.get("num") != 1]
        return f"{self.code}: {text % self.params if self.params else text}"
