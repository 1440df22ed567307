"""Answer validation: each kind's own check (assistant/engine/kinds) after the checks every kind shares.

Messages are gettext message ids marked with ``N_`` for extraction and translated by the presenter.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .kinds import KINDS, N_, Invalid, Lists, Nn_, is_empty, is_storable

if TYPE_CHECKING:
    from .spec import Question

__all__ = ["N_", "Invalid", "Lists", "Missing", "Nn_", "is_empty", "is_storable", "validate"]


class Missing(Invalid):
    """A required question left empty."""


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> Any:
    """Check ``value`` as an answer to ``question``; return it normalised (None for a skipped answer)."""
    kind = KINDS[question.kind]
    if not kind.takes_answer:
        return kind.validate(question, value, lists, today)
    if kind.blank(value):
        if question.required:
            raise Missing(kind.empty)
        return None
    return kind.validate(question, value, lists, today)
