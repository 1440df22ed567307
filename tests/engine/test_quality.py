"""Quality checks: each check finds its weakness, names the answer to change, and stays quiet otherwise;
and a required question left empty says what is missing."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from assistant.engine import Engine, FlowError, TurnRejected, parse_flow
from assistant.engine.quality import mentioned, weaknesses
from tests.engine.conftest import TODAY, FakeLists

FLOW = """\
flow: demo
version: "1"
title: Demo
sections:
  - id: account
    title: Account
    questions:
      - id: start
        kind: textarea
        text: How did it start?
      - id: treated
        kind: textarea
        text: How were they treated?
      - id: signs
        kind: choice
        text: Any signs?
        options: [{{value: "yes", label: "Yes"}}, {{value: "no", label: "No"}}]
      - id: why
        kind: textarea
        text: Why are you referring?
quality:
{checks}
"""

CHECKS = """\
  - check: too-short
    questions: [start, treated]
    min_words: 5
    message: "Too short."
  - check: repeated
    questions: [start, treated, why]
    min_words: 3
    message: "Repeated."
  - check: no-timeline
    questions: [start, treated]
    words: [then, after*, march]
    message: "No timeline."
  - check: indicators-contradicted
    questions: [start, treated]
    indicator: signs
    none: "no"
    keywords: [threat*, passport, debt]
    message: "You said no signs, but the account mentions %(found)s."
  - check: no-own-reasoning
    questions: [why]
    words: [i, we, because, believe*]
    message: "Give your own reasons."
"""

GOOD = {
    "start": "In 2019 she was offered a job in a kitchen by a cousin of a neighbour.",
    "treated": "Then they kept her wages and made her sleep on the kitchen floor every night.",
    "signs": "yes",
    "why": "I believe she was exploited because her account is detailed and consistent.",
}


def found(answers: dict[str, Any], checks: str = CHECKS) -> list[tuple[str, str]]:
    flow = parse_flow(FLOW.format(checks=checks), "demo.yaml")
    return [(w.check, w.question_id) for w in weaknesses(flow.quality, answers)]


def test_a_good_account_has_no_weaknesses() -> None:
    assert found(GOOD) == []


def test_a_short_answer_is_named() -> None:
    assert found({**GOOD, "treated": "Badly, in 2019."}) == [("too-short", "treated")]


def test_an_answer_pasted_twice_is_named_at_its_second_place() -> None:
    pasted = {**GOOD, "why": "  IN 2019 she was offered a job in a kitchen, by a cousin of a neighbour  "}
    assert ("repeated", "why") in found(pasted)
    assert ("repeated", "start") not in found(pasted)


def test_an_answer_is_named_once_by_the_first_check_that_finds_it() -> None:
    weak = {**GOOD, "why": "Seems so."}  # too short and without the worker's own reasoning
    checks = CHECKS.replace(
        "questions: [start, treated]\n    min_words: 5", "questions: [start, treated, why]\n    min_words: 5"
    )
    assert found(weak, checks) == [("too-short", "why")]


def test_short_answers_may_repeat() -> None:
    assert found({**GOOD, "start": "Not known", "treated": "Not known"}, CHECKS.split("  - check: no-timeline")[0]) == [
        ("too-short", "start"),
        ("too-short", "treated"),
    ]


@pytest.mark.parametrize(
    "start",
    [
        "It began in March when she answered an advert for cleaning work in a hotel.",
        "She answered an advert, and after that the work changed and got much worse.",
        "When she was \u0661\u0667 she answered an advert for cleaning work in a big hotel.",  # Arabic-Indic 17
    ],
)
def test_a_month_a_sequence_word_or_a_digit_in_any_script_is_a_timeline(start: str) -> None:
    answers = {**GOOD, "start": start, "treated": "They kept her wages and made her sleep on the kitchen floor."}
    assert ("no-timeline", "start") not in found(answers)


def test_an_account_without_dates_ages_or_sequence_is_named_at_its_first_answer() -> None:
    answers = {
        **GOOD,
        "start": "She answered an advert for cleaning work in a hotel by the sea.",
        "treated": "They kept her wages and made her sleep on the kitchen floor.",
    }
    assert found(answers) == [("no-timeline", "start")]


def test_no_signs_while_the_account_mentions_some_is_named_at_the_signs_question_with_the_words() -> None:
    flow = parse_flow(FLOW.format(checks=CHECKS), "demo.yaml")
    answers = {**GOOD, "signs": "no", "treated": "In 2019 they threatened her and kept her passport for a debt."}
    [weakness] = weaknesses(flow.quality, answers)
    assert (weakness.check, weakness.question_id) == ("indicators-contradicted", "signs")
    assert weakness.params == {"found": "threat, passport, debt"}


def test_signs_answered_yes_are_not_contradicted() -> None:
    assert found({**GOOD, "treated": "In 2019 they threatened her and kept her passport for a debt."}) == []


def test_a_reason_without_the_workers_own_reasoning_is_named() -> None:
    assert found({**GOOD, "why": "She was asked to be referred by the housing officer."}) == [
        ("no-own-reasoning", "why")
    ]


def test_words_match_whole_words_or_their_beginnings_when_starred() -> None:
    assert mentioned("It is in the file", ("i",)) == []
    assert mentioned("They threatened him", ("threat*", "threat")) == ["threat"]


def test_unanswered_questions_are_not_weaknesses() -> None:
    assert found({"why": GOOD["why"]}) == []


@pytest.mark.parametrize(
    ("check", "problem"),
    [
        ("  - {check: too-long, questions: [start], message: M}", "unknown quality check 'too-long'"),
        ("  - {check: too-short, questions: [begin], min_words: 3, message: M}", "reads unknown question 'begin'"),
        ("  - {check: too-short, questions: [start], message: M}", "'min_words' is required"),
        ("  - {check: too-short, questions: [start], min_words: 3}", "'message' is required"),
        ("  - {check: too-short, questions: [start], min_words: 3, lots: 1, message: M}", "unknown key 'lots'"),
        (
            "  - {check: indicators-contradicted, questions: [start], indicator: signs, none: never, keywords: [x], message: M}",
            "'never' is not an option of 'signs'",
        ),
        (
            "  - {check: indicators-contradicted, questions: [start], indicator: nope, none: 'no', keywords: [x], message: M}",
            "unknown question 'nope'",
        ),
    ],
)
def test_the_loader_reports_a_check_that_cannot_work_with_its_line(check: str, problem: str) -> None:
    with pytest.raises(FlowError) as error:
        parse_flow(FLOW.format(checks=textwrap.dedent(check)), "demo.yaml")
    assert any(problem in str(p) and str(p).startswith("demo.yaml:22:") for p in error.value.problems), (
        error.value.problems
    )


def test_the_nrm_flow_declares_every_check(nrm: Engine) -> None:
    assert {check.check for check in nrm.flow.quality} == {
        "too-short",
        "repeated",
        "no-timeline",
        "indicators-contradicted",
        "no-own-reasoning",
    }


REQUIRED = """\
flow: demo
version: "1"
title: Demo
sections:
  - id: one
    title: One
    questions:
      - id: first-name
        kind: text
        text: What is their first name?
        required_message: "Enter the person's first name"
      - id: story
        kind: textarea
        text: What happened?
"""


def test_a_required_question_left_empty_says_what_is_missing_in_the_flows_words() -> None:
    engine = Engine(parse_flow(REQUIRED, "demo.yaml"), FakeLists())
    with pytest.raises(TurnRejected) as error:
        engine.answer(engine.start(), "first-name", "  ", TODAY)
    assert (error.value.message, error.value.context) == ("Enter the person's first name", "demo:first-name")
    snapshot = engine.answer(engine.start(), "first-name", "Synthetic", TODAY)
    with pytest.raises(TurnRejected) as error:
        engine.answer(snapshot, "story", "", TODAY)
    assert (error.value.message, error.value.context) == ("Enter an answer", None)  # none declared: the kind's own


def test_a_required_message_must_be_text() -> None:
    with pytest.raises(FlowError) as error:
        parse_flow(REQUIRED.replace('"Enter the person\'s first name"', "[1]"), "demo.yaml")
    assert any("'required_message' must be text" in str(p) for p in error.value.problems)
