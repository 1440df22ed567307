"""Drive a flow with synthetic answers: shared by the engine, service and end-to-end tests.

All data here is invented. A scenario fixes some answers; every other question gets a plain
synthetic answer of its kind.
"""

from __future__ import annotations

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


PLAIN_ADULT: dict[str, Any] = {"pv-under-age": "no", "pv-want-to-submit-nrm": "yes"}
ROUTES: dict[str, dict[str, Any]] = {
    "child": {"pv-under-age": "yes"},
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


def run(
    step: Callable[[str, Any], Mapping[str, Any] | None],
    first: Mapping[str, Any],
    fixed: Mapping[str, Any],
    answer: Callable[[Mapping[str, Any]], Any] = synthetic_answer,
    limit: int = 400,
) -> list[str]:
    """Answer prompts until there is none; ``step(question_id, value)`` returns the next prompt or None."""
    asked: list[str] = []
    prompt: Mapping[str, Any] | None = first
    while prompt is not None:
        asked.append(prompt["question_id"])
        assert len(asked) < limit, "the flow does not end"
        qid = prompt["question_id"]
        prompt = step(qid, fixed[qid] if qid in fixed else answer(prompt))
    return asked
