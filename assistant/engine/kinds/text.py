"""Free text: one line (``text``) or several (``textarea``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .base import N_, Invalid, Kind, Lists, Nn_

if TYPE_CHECKING:
    from ..flow import Question

DEFAULT_MAX_LENGTH = 15000
_URL = re.compile(r"(https?://|www\.)\S+|\b[a-z0-9-]+\.(com|org|net|uk|io|info|biz)(/\S*)?\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str):
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


TEXT = Kind("text", validate, one_line=True, max_length=DEFAULT_MAX_LENGTH)
TEXTAREA = Kind("textarea", validate, max_length=DEFAULT_MAX_LENGTH)
