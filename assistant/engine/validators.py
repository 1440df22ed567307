"""Answer validation by kind. Each validator returns the normalised value or raises Invalid.

Messages are gettext message ids marked with ``N_`` for extraction and translated by the presenter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Protocol

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from .flow import Question


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


EMPTY: dict[str, str] = {
    "choice": N_("Select an answer"),
    "multichoice": N_("Select at least one answer"),
    "select": N_("Choose an answer from the list"),
    "date": N_("Enter a date"),
    "number": N_("Enter a number"),
    "email": N_("Enter an email address"),
    "phone": N_("Enter a phone number"),
    "postcode": N_("Enter a postcode"),
}
_URL = re.compile(r"(https?://|www\.)\S+|\b[a-z0-9-]+\.(com|org|net|uk|io|info|biz)(/\S*)?\b", re.IGNORECASE)
# The UK postcode format (outward code, then inward code), including the special GIR 0AA.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y]) ?"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST_DATE = dt.date(1900, 1, 1)


def is_empty(value: Any) -> bool:
    if isinstance(value, str):  # as stored: control characters are dropped, then white space
        return not _CONTROL.sub("", value).strip()
    return value is None or value == [] or value == {}


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> Any:
    """Check ``value`` as an answer to ``question``; return it normalised (None for a skipped answer)."""
    if question.kind == "info":
        return question.records
    if question.kind == "date" and isinstance(value, dict) and all(is_empty(v) for v in value.values()):
        value = None
    if is_empty(value):
        if question.required:
            raise Invalid(EMPTY.get(question.kind, N_("Enter an answer")))
        return None
    return _VALIDATORS[question.kind](question, value, lists, today)


def is_storable(text: str) -> bool:
    """False for a string holding a lone surrogate: it has no UTF-8 form, so it cannot be stored."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _text(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str) or not is_storable(value):
        raise Invalid(N_("Enter your answer as text"))
    text = _CONTROL.sub("", value).strip()
    if question.kind == "text":
        text = " ".join(text.split())
    if question.max_length is not None and len(text) > question.max_length:
        raise Invalid(
            Nn_("Enter %(num)s character or fewer", "Enter %(num)s characters or fewer"), num=question.max_length
        )
    if question.no_urls and _URL.search(text):
        raise Invalid(N_("Remove the web address: links cannot be included in this answer"))
    return text


def _choice(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str) or value not in {o.value for o in question.options}:
        raise Invalid(N_("Select one of the answers shown"))
    return value


def _multichoice(question: Question, value: Any, lists: Lists, today: dt.date) -> list[str]:
    if isinstance(value, str):
        value = [value]
    allowed = [o.value for o in question.options]
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        raise Invalid(N_("Select answers from the ones shown"))
    return [v for v in allowed if v in value]  # option order, duplicates dropped


def _select(question: Question, value: Any, lists: Lists, today: dt.date) -> str | list[str]:
    def one(item: Any) -> str:
        if isinstance(item, str):
            if question.options and item in {o.value for o in question.options}:
                return item
            if question.lookup and lists.contains(question.lookup, item):
                return item
        raise Invalid(N_("Choose an answer from the list"))

    if question.repeat is None:
        return one(value)
    items = value if isinstance(value, list) else [value]
    items = [i for i in items if not is_empty(i)]
    if question.required and not items:
        raise Invalid(N_("Choose an answer from the list"))
    if len(items) > question.repeat:
        raise Invalid(Nn_("Choose %(num)s answer or fewer", "Choose %(num)s answers or fewer"), num=question.repeat)
    chosen: list[str] = []
    for item in items:
        if one(item) not in chosen:
            chosen.append(item)
    return chosen


def _date(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    try:
        if isinstance(value, str):
            date = dt.date.fromisoformat(value.strip())
        elif isinstance(value, dict):
            parts = [_whole(value.get(k)) for k in ("year", "month", "day")]
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


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError


def _number(question: Question, value: Any, lists: Lists, today: dt.date) -> int:
    try:
        number = _whole(value)
    except ValueError:
        raise Invalid(N_("Enter a whole number, like 2")) from None
    low = question.min if question.min is not None else 0
    high = question.max
    if number < low or (high is not None and number > high):
        if high is None:
            raise Invalid(N_("Enter a number of at least %(min)s"), min=low)
        raise Invalid(N_("Enter a number from %(min)s to %(max)s"), min=low, max=high)
    return number


def _email(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str):
        raise Invalid(EMPTY["email"])
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise Invalid(N_("Enter an email address in the correct format, like name@example.com")) from None


def _phone(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
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


def _postcode(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    compact = "".join(value.split()).upper() if isinstance(value, str) else ""
    if not _POSTCODE.match(compact):
        raise Invalid(N_("Enter a real UK postcode, like SW1A 2AA"))
    return f"{compact[:-3]} {compact[-3:]}"


_VALIDATORS: dict[str, Callable[[Question, Any, Lists, dt.date], Any]] = {
    "text": _text,
    "textarea": _text,
    "choice": _choice,
    "multichoice": _multichoice,
    "select": _select,
    "date": _date,
    "number": _number,
    "email": _email,
    "phone": _phone,
    "postcode": _postcode,
}
