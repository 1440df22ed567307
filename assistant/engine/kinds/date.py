"""A date in the past (after 1 January 1900), given as an ISO date or as day, month and year."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .base import N_, Control, Invalid, Kind, Lists, is_empty

if TYPE_CHECKING:
    from ..spec import Question

EARLIEST_DATE = dt.date(1900, 1, 1)


def whole(value: Any) -> int:
    """A whole number given as a number or as digits; ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError


def blank(value: Any) -> bool:
    """No answer, including day, month and year all left empty."""
    if isinstance(value, dict) and all(is_empty(v) for v in value.values()):
        return True
    return is_empty(value)


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    try:
        if isinstance(value, str):
            date = dt.date.fromisoformat(value.strip())
        elif isinstance(value, dict):
            parts = [whole(value.get(k)) for k in ("year", "month", "day")]
            date = dt.date(*parts)
        else:
            raise ValueError
    except (TypeError, ValueError, OverflowError):  # OverflowError: a year too big for a C long
        raise Invalid(N_("Enter a real date, for example 27 3 1990")) from None
    if date > today:
        raise Invalid(N_("The date must be today or in the past"))
    if date <= EARLIEST_DATE:
        raise Invalid(N_("The date must be after 1 January 1900"))
    return date.isoformat()


DATE = Kind("date", validate, empty=N_("Enter a date"), blank=blank, control=lambda prompt: Control("date", group=True))
