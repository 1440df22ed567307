"""An answer chosen from the question's options or from a long list (``lookup``), optionally several
(``repeat``: up to that many)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .base import N_, Control, Invalid, Kind, Lists, Nn_, is_empty

if TYPE_CHECKING:
    from ..flow import Question


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str | list[str]:
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


def check(question: Mapping[str, Any]) -> list[str]:
    if bool(question.get("options")) == bool(question.get("lookup")):
        return ["a select question needs either 'options' or 'lookup'"]
    return []


def control(prompt: Mapping[str, Any]) -> Control:
    """Options as radio buttons; a long list as a text box (with `repeat`, one per answer)."""
    if prompt.get("lookup"):
        return Control("lookup-repeat" if prompt.get("repeat") else "lookup")
    return Control("options", group=True)


SELECT = Kind("select", validate, empty=N_("Choose an answer from the list"), check=check, control=control)
