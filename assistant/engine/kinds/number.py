"""A whole number, at least ``min`` (0 by default) and at most ``max`` when given."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .base import N_, Invalid, Kind, Lists
from .date import whole

if TYPE_CHECKING:
    from ..spec import Question


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> int:
    try:
        number = whole(value)
    except ValueError:
        raise Invalid(N_("Enter a whole number, like 2")) from None
    low = question.min if question.min is not None else 0
    high = question.max
    if number < low or (high is not None and number > high):
        if high is None:
            raise Invalid(N_("Enter a number of at least %(min)s"), min=low)
        raise Invalid(N_("Enter a number from %(min)s to %(max)s"), min=low, max=high)
    return number


NUMBER = Kind(
    "number", validate, empty=N_("Enter a number"), one_line=True, attributes={"inputmode": "numeric"}, width=10
)
