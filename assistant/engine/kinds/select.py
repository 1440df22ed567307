"""An answer chosen from the question's options or from a long list (``lookup``), optionally several
(``repeat``: up to that many). With ``free_text``, a long list's answer may also be a name typed as
written, for a place that is not on the list: stored as ``{"free_text": "..."}``, never mistaken for
a value of the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .base import CONTROL, N_, Control, Invalid, Kind, Lists, Nn_, is_empty, is_storable

if TYPE_CHECKING:
    from ..spec import Question

FREE_TEXT = "free_text"
FREE_TEXT_MAX = 100  # characters: the longest place names in the UK are under 60


def free_text_of(value: Any) -> str | None:
    """The name typed for an answer that is not on its list, or None for any other answer."""
    typed = value.get(FREE_TEXT) if isinstance(value, dict) and set(value) == {FREE_TEXT} else None
    return typed if isinstance(typed, str) else None


def _free_text(question: Question, item: Mapping[str, Any]) -> dict[str, str]:
    typed = item.get(FREE_TEXT)
    if not question.free_text or set(item) != {FREE_TEXT} or not isinstance(typed, str) or not is_storable(typed):
        raise Invalid(N_("Choose an answer from the list"))
    text = " ".join(CONTROL.sub("", typed).split())
    if not text:
        raise Invalid(N_("Type the name as it is written, or choose one of the matches from the list"))
    if len(text) > FREE_TEXT_MAX:
        raise Invalid(
            Nn_("The name must be %(num)s character or fewer", "The name must be %(num)s characters or fewer"),
            num=FREE_TEXT_MAX,
        )
    return {FREE_TEXT: text}


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> str | dict[str, str] | list[Any]:
    def one(item: Any) -> str | dict[str, str]:
        if isinstance(item, dict):
            return _free_text(question, item)
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
    chosen: list[Any] = []
    for item in items:
        answer = one(item)
        if answer not in chosen:
            chosen.append(answer)
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
