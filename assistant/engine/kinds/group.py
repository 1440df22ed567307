"""A grouped question: one prompt with several fields, answered in one turn and checked together.

Each field is a question of its own kind whose id keys its answer, so grouping questions changes how
they are asked, never the answers recorded. The answer is an object keyed by field id; every field is
checked, and each problem is reported against its field (``FieldsInvalid``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .base import N_, Control, Invalid, Kind, Lists

if TYPE_CHECKING:
    from ..spec import Question


class FieldsInvalid(Invalid):
    """Some fields of a group are not acceptable: ``problems`` pairs each field with its problem, in
    field order. ``missing`` is true for a required field left empty."""

    def __init__(self, problems: list[tuple[Question, Invalid, bool]]) -> None:
        first = problems[0][1]
        super().__init__(first.message, **first.params)
        self.problems = problems


def shown(question: Question, values: Mapping[str, Any]) -> list[Question]:
    """The fields asked given the group's own answers: those without `when`, and those whose earlier
    field was given one of the values `when` names (a choice's value, or one of a multichoice's)."""
    asked: list[Question] = []
    for field in question.fields:
        if field.when is not None:
            earlier, values_wanted = field.when
            given = values.get(earlier) if any(f.id == earlier for f in asked) else None
            chosen = given if isinstance(given, list) else [given]
            if not set(values_wanted) & {v for v in chosen if isinstance(v, str)}:
                continue
        asked.append(field)
    return asked


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> dict[str, Any]:
    from ..validators import Missing
    from ..validators import validate as validate_field

    values = value if isinstance(value, dict) else {}
    answers: dict[str, Any] = {}
    problems: list[tuple[Question, Invalid, bool]] = []
    for field in question.fields:
        if field.id not in {f.id for f in shown(question, {**values, **answers})}:
            continue
        try:
            answers[field.id] = validate_field(field, values.get(field.id), lists, today)
        except Missing as missing:
            problems.append((field, missing, True))
            answers[field.id] = values.get(field.id)  # later fields' `when` still read it
        except Invalid as error:
            problems.append((field, error, False))
            answers[field.id] = values.get(field.id)
    if problems:
        raise FieldsInvalid(problems)
    return answers


def check(question: Mapping[str, Any]) -> list[str]:
    return [] if question.get("fields") else ["a group question needs 'fields'"]


GROUP = Kind(
    "group",
    validate,
    empty=N_("Answer the questions shown"),
    check=check,
    control=lambda prompt: Control("group", group=True),
    blank=lambda value: False,  # each field says what it is missing
)
