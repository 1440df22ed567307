"""Drive a flow with synthetic answers: shared by the engine, service and end-to-end tests.

All data here is invented. A scenario fixes some answers; every other question gets a plain
synthetic answer of its kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

SYNTHETIC_LIST_VALUES = {
    "organisations": "ngo-the-salvation-army",
    "local-authorities": "camden",
    "uk-towns": "leeds",
    "uk-regions": "west-yorkshire",
    "police-forces": "west-yorkshire-police",
    "nationalities": "AL",
    "countries": "AL",
    "countries-overseas": "AL",
}


def synthetic_answer(prompt: Mapping[str, Any], lists: Mapping[str, str] = SYNTHETIC_LIST_VALUES) -> Any:
    """A valid answer for a prompt (a protocol prompt dict or an engine Question as a dict)."""
    kind = prompt["kind"]
    options = prompt.get("options") or []
    if kind == "group":
        return {field_id(f): synthetic_answer(f, lists) for f in prompt.get("fields") or []}
    if kind == "choice" and str(prompt.get("question_id") or prompt.get("id") or "").startswith("conflict:"):
        # a contradiction: take the first answer that settles it; "correct it" would ask the same again
        return next(o["value"] for o in options if not str(o["value"]).startswith("correct"))
    if kind == "choice":
        return options[0]["value"]
    if kind == "multichoice":
        return [options[0]["value"]]
    if kind == "select" and prompt.get("lookup") == "nationalities" and prompt.get("required") is False:
        return None  # a second nationality: the first one's value would be refused as the same
    if kind == "select":
        value = options[0]["value"] if options else lists[prompt["lookup"]]
        return [value] if prompt.get("repeat") else value
    return {
        "text": "Synthetic answer",
        "textarea": "A synthetic account written for testing only.",
        "date": "1990-03-27",
        "number": 2,
        "email": "worker@example.org",
        "phone": "020 7946 0123",
        "postcode": "SW1A 2AA",
        "info": None,
        "upload": None,  # optional: files are added over HTTP first (tests/evidence)
    }[kind]


def years_ago(years: int) -> str:
    """The date ``years`` before today (a date of birth of that age), as a date answer."""
    today = dt.date.today()
    try:
        return today.replace(year=today.year - years).isoformat()
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28).isoformat()


PLAIN_ADULT: dict[str, Any] = {"pv-under-age": "no", "pv-want-to-submit-nrm": "yes"}
ROUTES: dict[str, dict[str, Any]] = {
    "child": {"pv-under-age": "yes", "pv-dob": years_ago(12)},  # a child's date of birth, or it contradicts
    "age-not-sure": {"pv-under-age": "not-sure"},
    "adult-consent-with-support": {**PLAIN_ADULT, "does-pv-need-support": "yes"},
    "adult-consent-without-support": {**PLAIN_ADULT, "does-pv-need-support": "no"},
    "adult-refusal-cooperating": {
        "pv-under-age": "no",
        "pv-want-to-submit-nrm": "no",
        "authorities-cooperation": "yes",
    },
    "adult-refusal-not-cooperating": {
        "pv-under-age": "no",
        "pv-want-to-submit-nrm": "no",
        "authorities-cooperation": "no",
    },
}


class Asked(list[str]):
    """The ids asked, in order: each question's, and after a group's, the ids of the fields it showed.
    ``turns`` counts the prompts answered (a group is one turn)."""

    turns: int = 0


def field_id(field: Mapping[str, Any]) -> str:
    return str(field.get("field_id") or field["id"])  # a protocol prompt's field, or an engine Question's


def shown_fields(prompt: Mapping[str, Any], value: Mapping[str, Any]) -> list[str]:
    """The fields of a group prompt that ``value`` makes asked (each field's `when` on an earlier one)."""
    shown: list[str] = []
    for field in prompt.get("fields") or []:
        when = field.get("when")
        if isinstance(when, dict):  # protocol: {field, values}
            earlier, values = when["field"], when["values"]
        elif when:  # engine: (field, values)
            earlier, values = when
        else:
            shown.append(field_id(field))
            continue
        given = value.get(earlier)
        chosen = given if isinstance(given, list) else [given]
        if earlier in shown and set(values) & set(chosen):
            shown.append(field_id(field))
    return shown


def group_answer(
    prompt: Mapping[str, Any], fixed: Mapping[str, Any], answer: Callable[[Mapping[str, Any]], Any]
) -> Any:
    """A group's answer: each field's fixed value, or a synthetic one."""
    fields = prompt.get("fields") or []
    return {field_id(f): fixed[field_id(f)] if field_id(f) in fixed else answer(f) for f in fields}


def answer_for(
    prompt: Mapping[str, Any],
    fixed: Mapping[str, Any],
    previous: Any = None,
    answer: Callable[[Mapping[str, Any]], Any] = synthetic_answer,
) -> Any:
    """The value to send: the scenario's, else the answer already given, else a synthetic one; for a
    group, field by field."""
    if prompt["kind"] == "group":
        given = previous if isinstance(previous, dict) else {}
        return {
            field_id(f): fixed[field_id(f)] if field_id(f) in fixed else given.get(field_id(f), answer(f))
            for f in prompt.get("fields") or []
        }
    qid = prompt["question_id"]
    if qid in fixed:
        return fixed[qid]
    return previous if previous is not None else answer(prompt)


def run(
    step: Callable[[str, Any], Mapping[str, Any] | None],
    first: Mapping[str, Any],
    fixed: Mapping[str, Any],
    answer: Callable[[Mapping[str, Any]], Any] = synthetic_answer,
    limit: int = 400,
) -> Asked:
    """Answer prompts until there is none; ``step(question_id, value)`` returns the next prompt or None."""
    asked = Asked()
    prompt: Mapping[str, Any] | None = first
    while prompt is not None:
        qid = prompt["question_id"]
        asked.append(qid)
        asked.turns += 1
        assert asked.turns < limit, "the flow does not end"
        if prompt["kind"] == "group":
            value = group_answer(prompt, fixed, answer)
            asked.extend(shown_fields(prompt, value))
        else:
            value = fixed[qid] if qid in fixed else answer(prompt)
        prompt = step(qid, value)
    return asked
