"""Answers chosen from the question's own options: one (``choice``) or several (``multichoice``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .base import N_, Control, Invalid, Kind, Lists

if TYPE_CHECKING:
    from ..spec import Question


def _one(question: Question, value: Any, lists: Lists, today: dt.date) -> str:
    if not isinstance(value, str) or value not in {o.value for o in question.options}:
        raise Invalid(N_("Select one of the answers shown"))
    return value


def _several(question: Question, value: Any, lists: Lists, today: dt.date) -> list[str]:
    if isinstance(value, str):
        value = [value]
    allowed = [o.value for o in question.options]
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        raise Invalid(N_("Select answers from the ones shown"))
    return [v for v in allowed if v in value]  # option order, duplicates dropped


def needs_options(question: Mapping[str, Any]) -> list[str]:
    return [] if question.get("options") else [f"a {question['kind']} question needs 'options'"]


def _options(prompt: Mapping[str, Any]) -> Control:
    return Control("options", group=True)


CHOICE = Kind("choice", _one, empty=N_("Select an answer"), check=needs_options, control=_options)
MULTICHOICE = Kind(
    "multichoice", _several, empty=N_("Select at least one answer"), check=needs_options, control=_options
)
