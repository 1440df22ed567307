"""Every answer kind accepts what it should, normalises it, and rejects the rest with a clear message."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.engine.spec import Option, Question
from assistant.engine.validators import Invalid, validate
from tests.engine.conftest import TODAY, FakeLists

YES_NO = (Option("yes", "Yes"), Option("no", "No"))


def q(kind: str, **extra: Any) -> Question:
    return Question(id="q", kind=kind, text="Question?", section="s", line=1, **extra)


@pytest.mark.parametrize(
    ("question", "value", "expected"),
    [
        (q("choice", options=YES_NO), "no", "no"),
        (q("multichoice", options=YES_NO), ["no", "yes", "no"], ["yes", "no"]),
        (q("text", max_length=20), "  two   words ", "two words"),
        (q("textarea"), "line one\nline two\x07", "line one\nline two"),
        (q("date"), {"day": "3", "month": 7, "year": "2001"}, "2001-07-03"),
        (q("date"), "2001-07-03", "2001-07-03"),
        (q("date", required=False), {"day": "", "month": "", "year": ""}, None),
        (q("number", min=1, max=30), "3", 3),
        (q("email"), " Worker@Example.org ", "Worker@example.org"),
        (q("phone"), "020 7946 0123", "+442079460123"),
        (q("phone"), "+33 1 23 45 67 89", "+33123456789"),
        (q("postcode"), "sw1a2aa", "SW1A 2AA"),
        (q("select", options=YES_NO), "yes", "yes"),
        (q("select", lookup="countries", repeat=3), ["VN", "GB", "VN"], ["VN", "GB"]),
        (q("info", records="yes"), "anything", "yes"),
        (q("text", required=False), "   ", None),
    ],
)
def test_valid_answers_are_normalised(question: Question, value: Any, expected: Any) -> None:
    assert validate(question, value, FakeLists(), TODAY) == expected


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        (q("choice", options=YES_NO), None, "Select an answer"),
        (q("choice", options=YES_NO), "maybe", "Select one of the answers shown"),
        (q("multichoice", options=YES_NO), [], "Select at least one answer"),
        (q("multichoice", options=YES_NO), ["maybe"], "Select answers from the ones shown"),
        (q("text"), "", "Enter an answer"),
        (
            q("text", max_length=5),
            "too long",
            ("Enter %(num)s character or fewer", "Enter %(num)s characters or fewer"),
        ),
        (
            q("textarea", no_urls=True),
            "see https://example.org/x",
            "Remove the web address: links cannot be included in this answer",
        ),
        (q("textarea"), 42, "Enter your answer as text"),
        (q("text"), "\x01\x02\x7f", "Enter an answer"),  # control characters only: nothing is left
        (q("textarea"), " \x00\n\x1b ", "Enter an answer"),
        (q("text"), "a lone surrogate \ud800", "Enter your answer as text"),  # cannot be stored as UTF-8
        (q("textarea"), "\udfff", "Enter your answer as text"),
        (q("date"), {"day": 1, "month": 1, "year": 10**20}, "Enter a real date, for example 27 3 1990"),
        (q("date"), {"day": 1, "month": 1, "year": "1" * 30}, "Enter a real date, for example 27 3 1990"),
        (q("date"), {"day": "9" * 5000, "month": 1, "year": 2001}, "Enter a real date, for example 27 3 1990"),
        (q("date"), {"day": 31, "month": 2, "year": 2001}, "Enter a real date, for example 27 3 1990"),
        (q("date"), {"day": "x", "month": 2, "year": 2001}, "Enter a real date, for example 27 3 1990"),
        (q("date"), "2026-11-30", "The date must be today or in the past"),
        (q("date"), "1899-12-31", "The date must be after 1 January 1900"),
        (q("number", min=1, max=30), "31", "Enter a number from %(min)s to %(max)s"),
        (q("number"), "two", "Enter a whole number, like 2"),
        (q("email"), "not-an-email", "Enter an email address in the correct format, like name@example.com"),
        (q("phone"), "12345", "The number is too short: check for a missing digit or area code"),
        (q("postcode"), "NOT A CODE", "Enter a real UK postcode, like SW1A 2AA"),
        (q("select", lookup="countries"), "Atlantis", "Choose an answer from the list"),
        (
            q("select", lookup="countries", repeat=2),
            ["VN", "GB", "FR"],
            ("Choose %(num)s answer or fewer", "Choose %(num)s answers or fewer"),
        ),
    ],
)
def test_invalid_answers_are_rejected_with_a_message(
    question: Question, value: Any, message: str | tuple[str, str]
) -> None:
    with pytest.raises(Invalid) as rejected:
        validate(question, value, FakeLists(), TODAY)
    assert rejected.value.message == message
