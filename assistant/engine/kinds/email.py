"""An email address, normalised (its domain in lower case)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from email_validator import EmailNotValidError, validate_email

from .base import N_, Invalid, Kind, Lists

if TYPE_CHECKING:
    from ..spec import Question

EMPTY = N_("Enter an email address")


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str):
        raise Invalid(EMPTY)
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise Invalid(N_("Enter an email address in the correct format, like name@example.com")) from None


EMAIL = Kind(
    "email",
    validate,
    empty=EMPTY,
    one_line=True,
    attributes={"type": "email", "autocapitalize": "none", "spellcheck": "false"},
)
