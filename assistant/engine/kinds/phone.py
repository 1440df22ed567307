"""A phone number: a UK one, or an international one starting with +; kept in E.164 form."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import phonenumbers

from .base import N_, Invalid, Kind, Lists

if TYPE_CHECKING:
    from ..flow import Question


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    message = N_("Enter a UK phone number, or an international number starting with +")
    if not isinstance(value, str) or len(value) > 40:
        raise Invalid(message)
    try:
        number = phonenumbers.parse(value.strip(), "GB")
    except phonenumbers.NumberParseException:
        raise Invalid(message) from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid(message)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


PHONE = Kind("phone", validate, empty=N_("Enter a phone number"), one_line=True, attributes={"type": "tel"}, width=20)
