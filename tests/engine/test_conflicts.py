"""Contradiction rules: no child goes down an adult route, whatever order the answers come in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.engine import FlowError, Snapshot, TurnRejected, parse_flow
from assistant.engine.functions import whole_years, years_since, youngest_in_years_mentioned
from tests.engine.conftest import TODAY, Walk, as_prompt
from tests.scenarios import ROUTES, answer_for

TODAY_AGE = "conflict:date-of-birth-under-18"
ACCOUNT_AGE = "conflict:child-in-years-of-the-account"
ADULT = ROUTES["adult-consent-without-support"]
CHILD_DOB = "2014-05-01"  # 12 on TODAY
ADULT_DOB = "1990-03-27"
SINGLE_ACCOUNT = {
    "potential-victim-exploitative-situation-multiple": "no",
    "when-did-the-exploitation-take-place": "It started in the spring of 2015 and ended in 2019.",
}


def finish(walk: Walk, fixed: dict[str, Any] | None = None) -> list[str]:
    """Answer until the review, keeping previous answers: what a worker does after a change."""
    asked = []
    while walk.snapshot.state != "review":
        question = walk.engine.question(walk.snapshot)
        asked.append(question.id)
        value = answer_for(as_prompt(question), fixed or {}, walk.engine.previous(walk.snapshot))
        walk.snapshot = walk.engine.answer(walk.snapshot, question.id, value, TODAY)
        assert len(asked) < 200
    return asked


def walk_to(walk: Walk, fixed: dict[str, Any], stop: str) -> None:
    """Walk a route until the question ``stop`` (or the group asking it) is the one to answer."""
    while (question := walk.engine.question(walk.snapshot)).id != walk.engine.flow.step_of(stop):
        value = answer_for(as_prompt(question), fixed)
        walk.snapshot = walk.engine.answer(walk.snapshot, question.id, value, TODAY)
        assert walk.snapshot.state != "review", f"{stop} was never asked"


def to_review(walk: Walk, fixed: dict[str, Any]) -> None:
    walk.through(fixed)
    assert walk.snapshot.state == "review"


def change(walk: Walk, question_id: str, value: Any) -> None:
    """Change one answer from the review: a field through its group, the group's other answers kept."""
    walk.snapshot = walk.engine.change(walk.snapshot, question_id)
    step = walk.snapshot.state
    question = as_prompt(walk.engine.question(walk.snapshot))
    walk.snapshot = walk.engine.answer(
        walk.snapshot, step, answer_for(question, {question_id: value}, walk.engine.previous(walk.snapshot)), TODAY
    )


def answered(walk: Walk, field: str, value: Any) -> Snapshot:
    """The current group answered again with one field's answer changed, the others kept."""
    prompt = as_prompt(walk.engine.question(walk.snapshot))
    value = answer_for(prompt, {field: value}, walk.engine.previous(walk.snapshot))
    return walk.engine.answer(walk.snapshot, walk.snapshot.state, value, TODAY)


def test_a_date_of_birth_under_18_after_answering_not_under_18_is_caught_at_once(walk: Walk) -> None:
    asked = walk.through({**ADULT, "pv-dob": CHILD_DOB, TODAY_AGE: "under-18"})
    assert asked[asked.index("pv-dob") + 1] == TODAY_AGE
    # the worker said the date of birth is right: the age answer changed and the child's route followed
    assert "child-safeguarding-first" in asked[asked.index(TODAY_AGE) :]
    answers = walk.engine.submission(walk.snapshot)
    assert answers["pv-under-age"] == "yes"
    assert "local-authority-contacted-about-child-local-authority-name" in answers
    assert not {"pv-under-age-at-time-of-exploitation", "explain-nrm-before-consent", "who-contact"} & set(answers)
    assert walk.engine.flow.kind_of(answers) == "nrm"


def test_the_conflict_is_a_choice_that_says_what_conflicts_with_the_safe_choice_first(walk: Walk) -> None:
    walk_to(walk, {**ADULT, "pv-dob": CHILD_DOB}, TODAY_AGE)  # stop at the conflict
    question = walk.engine.question(walk.snapshot)
    assert (question.id, question.kind, question.required) == (TODAY_AGE, "choice", True)
    assert "under 18" in question.text
    assert "date of birth" in question.text
    assert [o.value for o in question.options] == ["under-18", "not-sure", "correct-date-of-birth"]
    assert walk.engine.previous(walk.snapshot) is None
    assert (
        walk.snapshot.state == "pv-name"
    )  # the group asking the date of birth  # the answer that set it off is recorded
    assert walk.snapshot.answers["pv-dob"] == CHILD_DOB


def test_not_sure_counts_as_a_child(walk: Walk) -> None:
    walk.through({**ADULT, "pv-dob": CHILD_DOB, TODAY_AGE: "not-sure"})
    answers = walk.engine.submission(walk.snapshot)
    assert answers["pv-under-age"] == "not-sure"
    assert walk.engine.question(walk.snapshot, "pv-want-to-submit-nrm").kind == "info"


def test_correcting_the_date_of_birth_goes_back_to_it_and_then_on(walk: Walk) -> None:
    walk_to(walk, {**ADULT, "pv-dob": CHILD_DOB}, TODAY_AGE)
    walk.snapshot = walk.engine.answer(walk.snapshot, TODAY_AGE, "correct-date-of-birth", TODAY)
    assert walk.snapshot.state == "pv-name"  # the group asking the date of birth
    assert walk.snapshot.conflict is None
    again = answered(walk, "pv-dob", CHILD_DOB)
    assert again.conflict == "date-of-birth-under-18"  # the same date still contradicts
    walk.snapshot = answered(walk, "pv-dob", ADULT_DOB)
    assert walk.snapshot.state == "pv-identity"
    assert walk.snapshot.answers["pv-under-age"] == "no"


def test_back_from_the_conflict_returns_to_the_answer_that_set_it_off(walk: Walk) -> None:
    walk_to(walk, {**ADULT, "pv-dob": CHILD_DOB}, TODAY_AGE)
    walk.snapshot = walk.engine.back(walk.snapshot)
    assert walk.snapshot.state == "pv-name"  # the group asking the date of birth
    assert walk.snapshot.conflict is None
    assert walk.engine.previous(walk.snapshot)["pv-dob"] == CHILD_DOB


def test_only_the_conflict_can_be_answered_and_only_with_one_of_its_options(walk: Walk) -> None:
    walk_to(walk, {**ADULT, "pv-dob": CHILD_DOB}, TODAY_AGE)
    for question_id, value, code in [("pv-gender", "female", "not_current"), (TODAY_AGE, "maybe", "invalid")]:
        with pytest.raises(TurnRejected) as rejected:
            walk.engine.answer(walk.snapshot, question_id, value, TODAY)
        assert rejected.value.code == code


def test_an_open_conflict_survives_a_round_trip_through_json(walk: Walk) -> None:
    walk_to(walk, {**ADULT, "pv-dob": CHILD_DOB}, TODAY_AGE)
    stored = Snapshot.from_json(walk.snapshot.to_json())
    assert stored == walk.snapshot
    assert walk.engine.question(stored).id == TODAY_AGE
    assert "conflict" not in Snapshot("reference").to_json()


def test_changing_the_age_answer_from_the_review_is_checked_against_the_date_of_birth(walk: Walk) -> None:
    to_review(walk, {**ROUTES["child"], "pv-dob": CHILD_DOB})
    change(walk, "pv-under-age", "no")
    assert walk.snapshot.conflict == "date-of-birth-under-18"
    walk.snapshot = walk.engine.answer(walk.snapshot, TODAY_AGE, "under-18", TODAY)
    assert walk.snapshot.state == "review"  # back on the child's route, where everything is answered
    assert walk.engine.submission(walk.snapshot)["pv-under-age"] == "yes"


def test_back_from_a_conflict_after_a_change_still_returns_to_the_review(walk: Walk) -> None:
    to_review(walk, ADULT)
    change(walk, "pv-dob", CHILD_DOB)
    walk.snapshot = walk.engine.back(walk.snapshot)
    walk.snapshot = answered(walk, "pv-dob", ADULT_DOB)
    assert walk.snapshot.state == "review"


def test_changing_the_date_of_birth_from_the_review_is_checked(walk: Walk) -> None:
    to_review(walk, ADULT)
    change(walk, "pv-dob", CHILD_DOB)
    assert walk.engine.question(walk.snapshot).id == TODAY_AGE
    walk.snapshot = walk.engine.answer(walk.snapshot, TODAY_AGE, "under-18", TODAY)
    asked = finish(walk)
    assert asked[0] == "child-safeguarding-first"
    assert "does-pv-need-support" not in walk.engine.submission(walk.snapshot)


def test_a_year_in_the_account_when_they_were_a_child_contradicts_no_childhood_exploitation(walk: Walk) -> None:
    fixed = {**ADULT, **SINGLE_ACCOUNT, "pv-under-age-at-time-of-exploitation": "no", "pv-dob": "2000-06-01"}
    asked = walk.through({**fixed, ACCOUNT_AGE: "child-at-the-time"})
    assert asked[asked.index("pv-dob") + 1] == ACCOUNT_AGE
    answers = walk.engine.submission(walk.snapshot)
    assert answers["pv-under-age-at-time-of-exploitation"] == "yes"
    assert answers["pv-under-age"] == "no"  # an adult now, who was a child then
    assert ACCOUNT_AGE not in asked[asked.index(ACCOUNT_AGE) + 1 :]


def test_correcting_the_years_of_the_account_goes_back_to_the_question_on_the_route(walk: Walk) -> None:
    fixed = {**ADULT, **SINGLE_ACCOUNT, "pv-under-age-at-time-of-exploitation": "no", "pv-dob": "2000-06-01"}
    walk_to(walk, {**fixed}, ACCOUNT_AGE)
    walk.snapshot = walk.engine.answer(walk.snapshot, ACCOUNT_AGE, "correct-dates", TODAY)
    assert walk.snapshot.state == "situations"  # the group asking when it happened
    finish(walk, {"when-did-the-exploitation-take-place": "From 2019 to 2021."})
    assert walk.engine.submission(walk.snapshot)["pv-under-age-at-time-of-exploitation"] == "no"


@pytest.mark.parametrize(
    "account",
    [
        "It started in 2019 and ended in 2021.",  # 18 and over by then
        "She was born in 2000 and cannot remember the dates.",  # a birth year is not a time of exploitation
        "Reference 120151234, phone 07700 900123.",  # a year inside a longer number is not a year
        "No dates are known.",
    ],
)
def test_no_contradiction_when_the_account_gives_no_year_of_childhood(walk: Walk, account: str) -> None:
    fixed = {
        **ADULT,
        **SINGLE_ACCOUNT,
        "when-did-the-exploitation-take-place": account,
        "pv-under-age-at-time-of-exploitation": "no",
        "pv-dob": "2000-06-01",
    }
    assert ACCOUNT_AGE not in walk.through(fixed)


def test_under_18_at_the_time_is_consistent_with_an_adult_now(walk: Walk) -> None:
    fixed = {**ADULT, **SINGLE_ACCOUNT, "pv-under-age-at-time-of-exploitation": "yes", "pv-dob": "2000-06-01"}
    asked = walk.through(fixed)
    assert not [q for q in asked if q.startswith("conflict:")]
    assert walk.engine.submission(walk.snapshot)["pv-under-age"] == "no"


def test_changing_under_18_at_the_time_to_no_from_the_review_is_checked(walk: Walk) -> None:
    fixed = {**ADULT, **SINGLE_ACCOUNT, "pv-under-age-at-time-of-exploitation": "yes", "pv-dob": "2000-06-01"}
    to_review(walk, fixed)
    change(walk, "pv-under-age-at-time-of-exploitation", "no")
    assert walk.engine.question(walk.snapshot).id == ACCOUNT_AGE
    walk.snapshot = walk.engine.answer(walk.snapshot, ACCOUNT_AGE, "child-at-the-time", TODAY)
    assert walk.snapshot.state == "review"


def test_changing_the_account_from_the_review_is_checked(walk: Walk) -> None:
    fixed = {**ADULT, **SINGLE_ACCOUNT, "pv-under-age-at-time-of-exploitation": "no", "pv-dob": "2000-06-01"}
    fixed["when-did-the-exploitation-take-place"] = "From 2019 to 2021."
    to_review(walk, fixed)
    change(walk, "when-did-the-exploitation-take-place", "From 2014, when she was in school, to 2021.")
    assert walk.snapshot.conflict == "child-in-years-of-the-account"


@pytest.mark.parametrize("route", ["child", "adult-refusal-cooperating", "adult-refusal-not-cooperating"])
def test_routes_without_a_contradiction_never_see_one(walk: Walk, route: str) -> None:
    asked = walk.through({**ROUTES[route], "pv-dob": CHILD_DOB})
    assert not [q for q in asked if q.startswith("conflict:")]


# -- the functions the rules use ---------------------------------------------------------------


def test_ages_count_whole_years_up_to_the_birthday() -> None:
    assert years_since(dt.date(2026, 5, 1), "2008-05-01") == 18
    assert years_since(dt.date(2026, 4, 30), "2008-05-01") == 17
    assert whole_years(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert years_since(None, "2008-05-01") is None
    assert years_since(TODAY, None) is None
    assert years_since(TODAY, "not a date") is None


def test_the_youngest_age_in_the_years_an_account_mentions() -> None:
    texts = ("From 2016 to 2018, then again in 2024.", None, "in 2030 (a future year is ignored)")
    assert youngest_in_years_mentioned(TODAY, "2000-06-01", *texts) == 15
    assert youngest_in_years_mentioned(TODAY, "2000-06-01", "nothing") is None
    assert youngest_in_years_mentioned(None, "2000-06-01", "2016") is None


# -- the loader checks the rules ---------------------------------------------------------------

FLOW = """\
flow: demo
version: "1"
title: Demo
conflicts:
  - id: too-young
    if: 'adult == "yes" and years_since(born) < 18'
    message: Which is right?
    options:
      - {{value: child, label: A child, set: {{adult: {value}}}}}
      - {{value: fix, label: Fix it, change: {change}}}
sections:
  - id: one
    title: One
    questions:
      - id: adult
        kind: choice
        text: Adult?
        options: [{{value: "yes", label: "Yes"}}, {{value: "no", label: "No"}}]
      - id: born
        kind: date
        text: Born?
"""


def test_a_valid_rule_loads() -> None:
    flow = parse_flow(FLOW.format(value='"no"', change="born"))
    [rule] = flow.conflicts
    assert rule.question_id == "conflict:too-young"
    assert [o.value for o in rule.options] == ["child", "fix"]


@pytest.mark.parametrize(
    ("value", "target", "problem"),
    [
        ('"maybe"', "born", "can only set a choice question to one of its options"),
        ('"no"', "nowhere", "changes unknown question 'nowhere'"),
    ],
)
def test_the_loader_reports_a_rule_that_cannot_work(value: str, target: str, problem: str) -> None:
    with pytest.raises(FlowError) as error:
        parse_flow(FLOW.format(value=value, change=target), "demo.yaml")
    assert any(problem in str(p) for p in error.value.problems), error.value.problems


def test_the_loader_reports_an_unknown_function() -> None:
    source = FLOW.format(value='"no"', change="born").replace("years_since(born)", "age_of(born)")
    with pytest.raises(FlowError) as error:
        parse_flow(source, "demo.yaml")
    assert any("unknown function 'age_of'" in str(p) for p in error.value.problems)


ADULT_TODAY = "conflict:date-of-birth-18-or-over"
CHILD = ROUTES["child"]


def test_a_date_of_birth_18_or_over_after_answering_under_18_is_caught_with_the_child_kept_first(walk: Walk) -> None:
    walk_to(walk, {**CHILD, "pv-dob": ADULT_DOB}, ADULT_TODAY)
    question = walk.engine.question(walk.snapshot)
    assert "18 or over" in question.text
    assert [o.value for o in question.options] == ["correct-date-of-birth", "not-sure", "adult"]
    walk.snapshot = walk.engine.answer(walk.snapshot, ADULT_TODAY, "correct-date-of-birth", TODAY)
    assert walk.snapshot.state == "pv-name"  # back to the date of birth, still a child
    assert walk.snapshot.answers["pv-under-age"] == "yes"


def test_choosing_adult_at_that_conflict_takes_the_adult_route(walk: Walk) -> None:
    walk_to(walk, {**CHILD, "pv-dob": ADULT_DOB}, ADULT_TODAY)
    walk.snapshot = walk.engine.answer(walk.snapshot, ADULT_TODAY, "adult", TODAY)
    finish(walk, {k: v for k, v in ADULT.items() if k != "pv-under-age"})  # earlier answers kept
    answers = walk.engine.submission(walk.snapshot)
    assert answers["pv-under-age"] == "no"
    assert "local-authority-contacted-about-child-local-authority-name" not in answers
    assert answers["pv-want-to-submit-nrm"] == ADULT["pv-want-to-submit-nrm"]  # an adult's consent was asked


def test_a_childs_consent_step_links_the_card_on_their_information_not_the_one_offering_a_choice(walk: Walk) -> None:
    walk_to(walk, CHILD, "consent")
    assert walk.engine.question(walk.snapshot).card == "privacy"
    adult = Walk(walk.engine)
    walk_to(adult, ADULT, "consent")
    assert adult.engine.question(adult.snapshot).card == "consent"
