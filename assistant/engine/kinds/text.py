"""Free text: one line (``text``) or several (``textarea``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .base import CONTROL, N_, Invalid, Kind, Lists, Nn_, is_storable

if TYPE_CHECKING:
    from ..spec import Question

DEFAULT_MAX_LENGTH = 15000
_URL = re.compile(r"(https?://|www\.)\S+|\b[a-z0-9-]+\.(com|org|net|uk|io|info|biz)(/\S*)?\b", re.IGNORECASE)


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str) or not is_storable(value):
        raise Invalid(N_("Enter your answer as text"))
    text = CONTROL.sub("", value).strip()
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
