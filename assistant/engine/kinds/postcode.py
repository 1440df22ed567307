"""A UK postcode, kept in capitals with one space before the inward code."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .base import N_, Invalid, Kind, Lists

if TYPE_CHECKING:
    from ..spec import Question

# The UK postcode format (outward code, then inward code), including the special GIR 0AA.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y]) ?"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    compact = "".join(value.split()).upper() if isinstance(value, str) else ""
    if not _POSTCODE.match(compact):
        raise Invalid(N_("Enter a real UK postcode, like SW1A 2AA"))
    return f"{compact[:-3]} {compact[-3:]}"


POSTCODE = Kind(
    "postcode",
    validate,
    empty=N_("Enter a postcode"),
    one_line=True,
    attributes={"autocapitalize": "characters", "spellcheck": "false"},
    width=10,
)
