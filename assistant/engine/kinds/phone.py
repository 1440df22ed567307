"""A phone number: a UK one in any of the forms people write it, or an international one starting with +
(or 00); kept in E.164 form.

A UK number is accepted when it has the shape of the UK numbering plan (its first digits and its length),
not only when the block it is in is known to be allocated: allocations change faster than the library's
data, and the test data uses Ofcom's drama ranges (07700 900xxx, 01632 960xxx), which are never allocated.
A number from abroad must be valid for its country. A refusal says what is wrong with the number.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from .base import N_, Invalid, Kind, Lists

if TYPE_CHECKING:
    from ..spec import Question


def _uk_shape() -> re.Pattern[str]:
    """The UK numbering plan's shape of a national number (after the 0): the library's own summary of it."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("GB")
    pattern = metadata.general_desc.national_number_pattern if metadata and metadata.general_desc else None
    if not pattern:  # never with the library's data; loudly at start-up rather than refusing every number
        raise RuntimeError("the phonenumbers library has no numbering plan for the UK")
    return re.compile(pattern)


UK = 44  # the country code of the UK, shared by the Isle of Man, Jersey and Guernsey
UK_SHAPE = _uk_shape()
UK_FIRST_DIGITS = "1235789"  # no UK number starts 04 or 06
# Digits (in any script), spaces, brackets, hyphens, dots and slashes, with a + only at the start.
WRITTEN = re.compile(r"\+?[\d\s().\-/]*")
MAX_LENGTH = 40

BAD_CHARACTERS = N_("A phone number can only have digits, spaces, brackets, hyphens and a + at the start")
TOO_SHORT = N_("The number is too short: check for a missing digit or area code")
TOO_LONG = N_("The number is too long: check for an extra digit")
NO_SUCH_START = N_("No UK phone number starts with %(start)s")
NO_SUCH_COUNTRY = N_("The digits after the + are not a country code")
NOT_IN_COUNTRY = N_("No phone number in the country with code +%(code)s looks like this")
SHORT = {ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY}


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str):
        raise Invalid(N_("Enter your answer as text"))
    typed = value.strip()
    if len(typed) > MAX_LENGTH:
        raise Invalid(TOO_LONG)
    if not WRITTEN.fullmatch(typed):
        raise Invalid(BAD_CHARACTERS)
    try:
        number = phonenumbers.parse(typed, "GB")
    except NumberParseException as error:
        raise Invalid(_parse_problem(error)) from None
    if number.country_code == UK:
        _check_uk(phonenumbers.national_significant_number(number))
    elif not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason in SHORT:
            raise Invalid(TOO_SHORT)
        if reason == ValidationResult.TOO_LONG:
            raise Invalid(TOO_LONG)
        raise Invalid(NOT_IN_COUNTRY, code=number.country_code)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _check_uk(national: str) -> None:
    """A UK number (without its 0) fits the numbering plan, or the message that says how it does not."""
    if UK_SHAPE.fullmatch(national):
        return
    if national[:1] not in UK_FIRST_DIGITS:
        raise Invalid(NO_SUCH_START, start="0" + national[:1])
    raise Invalid(TOO_SHORT if len(national) < 10 else TOO_LONG)


def _parse_problem(error: NumberParseException) -> str:
    if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return NO_SUCH_COUNTRY
    if error.error_type == NumberParseException.TOO_LONG:
        return TOO_LONG
    return TOO_SHORT  # too few digits to be a number, before or after the country code


PHONE = Kind("phone", validate, empty=N_("Enter a phone number"), one_line=True, attributes={"type": "tel"}, width=20)
