"""What every question kind is made of, and the shared vocabulary of answer validation.

A kind is one :class:`Kind` value in one module of this package: how an answer is checked and
normalised, what a flow file must give a question of that kind, and, as plain data, how its answer
is asked for (the input's HTML attributes, its width, the no-JavaScript form's template partial).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..spec import Question


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - as N_, for ngettext
    return singular, plural


class Invalid(Exception):
    """The answer is not acceptable; ``message`` is a message id to translate with ``params``.

    A message that depends on a number is a (singular, plural) pair chosen by ``params["num"]``.
    """

    def __init__(self, message: str | tuple[str, str], **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class Lists(Protocol):
    """Where long lists live; the engine only asks whether a value belongs to one."""

    def contains(self, name: str, value: str) -> bool: ...


# Control characters other than tab and line breaks: never stored, so an answer of only these is empty.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Validator = Callable[["Question", Any, Lists, dt.date], Any]
# Checks of a question's fields (as written in the flow file) for its kind: the problems found.
FieldCheck = Callable[[Mapping[str, Any]], list[str]]


def no_checks(question: Mapping[str, Any]) -> list[str]:
    return []


def is_empty(value: Any) -> bool:
    if isinstance(value, str):  # as stored: control characters are dropped, then white space
        return not CONTROL.sub("", value).strip()
    return value is None or value == [] or value == {}


def is_storable(text: str) -> bool:
    """False for a string holding a lone surrogate: it has no UTF-8 form, so it cannot be stored."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Control:
    """How the no-JavaScript form asks: its template partial (templates/form/kinds/<partial>.html), and
    whether the partial's inputs form a group (a fieldset whose legend is the question)."""

    partial: str
    group: bool = False


@dataclass(frozen=True)
class Kind:
    """One kind of question (docs/flows.md, "Adding a kind of question")."""

    name: str
    validate: Validator
    # What a required question of this kind says when it is left empty (a message id).
    empty: str = N_("Enter an answer")
    check: FieldCheck = no_checks
    # Answered in one line of text: the chat, the first question drawn into the chat page and the form's
    # "input" partial all draw the same text input, with these HTML attributes (type, inputmode,
    # autocapitalize, spellcheck) beyond those every such input has, and this width in characters
    # (None: the full width). Sent in the prompt as `input` (docs/protocol.md).
    one_line: bool = False
    attributes: Mapping[str, str] = field(default_factory=dict)
    width: int | None = None
    # The flow's max_length when a question of this kind gives none.
    max_length: int | None = None
    # The no-JavaScript form's control for a prompt (docs/protocol.md) of this kind; by default the
    # "input" partial for a one-line kind, else the partial named after the kind.
    control: Callable[[Mapping[str, Any]], Control] | None = None
    # Whether a value counts as no answer (then skipped, or refused with `empty` when required).
    blank: Callable[[Any], bool] = is_empty
    # False for an explanation to acknowledge: never required, no options, and `validate` gives what it records.
    takes_answer: bool = True

    def control_for(self, prompt: Mapping[str, Any]) -> Control:
        if self.control is not None:
            return self.control(prompt)
        return Control("input" if self.one_line else self.name)

    def input(self) -> dict[str, Any] | None:
        """The prompt's `input` object (docs/protocol.md); None for a kind not answered in one line."""
        if not self.one_line:
            return None
        described: dict[str, Any] = {"attributes": dict(self.attributes)}
        if self.width is not None:
            described["width"] = self.width
        return described
