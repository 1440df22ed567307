"""An explanation to read and acknowledge: no answer to give; what it records is the question's ``records``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .base import Kind, Lists

if TYPE_CHECKING:
    from ..spec import Question


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    return question.records


INFO = Kind("info", validate, takes_answer=False)
