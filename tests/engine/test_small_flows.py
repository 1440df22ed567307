"""The engine's features on a flow written for the tests, small enough to read at a glance: routing
and the condition grammar, variants, back, change with re-routing, contradictions and kinds. Nothing
here depends on the NRM flow."""

from __future__ import annotations

import datetime as dt
import gc
import textwrap
import weakref
from typing import Any

import pytest

from assistant.engine import REVIEW, SUBMITTED, Engine, Snapshot, TurnRejected, parse_flow
from assistant.engine.conditions import parse_condition

TODAY = dt.date(2026, 11, 29)
FLOW = """\
flow: tiny
version: "1"
title: Tiny
kinds:
  - if: consent == "no"
    kind: notice
  - kind: report
conflicts:
  - id: child-by-date
    if: 'age == "no" and years_since(born) < 18'
    message: "Under 18 by the date of birth. Which is right?"
    options:
      - {value: child, label: "Under 18", set: {age: "yes"}}
      - {value: fix-date, label: "Correct the date", change: born}
sections:
  - id: person
    title: Person
    questions:
      - id: age
        kind: choice
        text: Under 18?
        options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}, {value: not-sure, label: "Not sure"}]
        next:
          - if: age in ["yes", "not-sure"]
            goto: school
          - goto: born
      - id: school
        kind: text
        text: Which school?
      - id: born
        kind: date
        text: Date of birth?
      - id: consent
        kind: choice
        text: Do they consent?
        variants:
          - if: age == "yes"
            text: Does their guardian consent?
        options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]
  - id: contact
    title: Contact
    questions:
      - id: ways
        kind: multichoice
        text: How can they be reached?
        options: [{value: email, label: "Email"}, {value: phone, label: "Phone"}]
        next:
          - if: '"email" in ways and not consent == "no"'
            goto: email
          - goto: review
      - id: email
        kind: email
        text: Their email?
"""


class Lists:
    def contains(self, name: str, value: str) -> bool:
        return False


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(parse_flow(textwrap.dedent(FLOW), "tiny.yaml"), Lists())


def answer(engine: Engine, snapshot: Snapshot, *steps: tuple[str, Any]) -> Snapshot:
    for question_id, value in steps:
        snapshot = engine.answer(snapshot, question_id, value, TODAY)
    return snapshot


ADULT = (("age", "no"), ("born", "1990-03-27"), ("consent", "yes"), ("ways", ["email"]), ("email", "a@example.org"))


def test_rules_route_by_the_answers_and_fall_through_to_the_next_question(engine: Engine) -> None:
    child = answer(engine, engine.start(), ("age", "not-sure"))
    assert child.state == "school"
    assert answer(engine, child, ("school", "Synthetic School")).state == "born"  # no `next`: the following one
    assert answer(engine, engine.start(), ("age", "no")).state == "born"


def test_the_route_reaches_the_review_and_submits_only_what_is_on_it(engine: Engine) -> None:
    done = answer(engine, engine.start(), *ADULT)
    assert done.state == REVIEW
    assert engine.walk(done)[0] == ["age", "born", "consent", "ways", "email"]
    submitted = engine.submit(done)
    assert submitted.state == SUBMITTED
    assert list(submitted.answers) == ["age", "born", "consent", "ways", "email"]
    with pytest.raises(TurnRejected) as error:
        engine.answer(submitted, "age", "yes", TODAY)
    assert error.value.code == "submitted"


def test_only_the_review_can_be_submitted(engine: Engine) -> None:
    with pytest.raises(TurnRejected) as error:
        engine.submit(answer(engine, engine.start(), ("age", "no")))
    assert error.value.code == "not_ready"


def test_only_the_current_question_can_be_answered(engine: Engine) -> None:
    with pytest.raises(TurnRejected) as error:
        engine.answer(engine.start(), "consent", "yes", TODAY)
    assert error.value.code == "not_current"


@pytest.mark.parametrize(
    ("source", "answers", "holds"),
    [
        ('age == "yes"', {"age": "yes"}, True),
        ('age != "yes"', {}, True),  # nothing is not "yes"
        ('age in ["yes", "not-sure"]', {"age": "not-sure"}, True),
        ('age not in ["yes", "not-sure"]', {"age": "no"}, True),
        ('"email" in ways', {"ways": ["phone", "email"]}, True),
        ('"email" in ways', {}, False),
        ("school", {"school": "Synthetic School"}, True),  # a bare id: answered
        ("school", {}, False),
        ('age == "no" and consent == "yes"', {"age": "no", "consent": "no"}, False),
        ('age == "yes" or consent == "yes"', {"age": "no", "consent": "yes"}, True),
        ('not (age == "yes" or consent == "yes")', {"age": "no", "consent": "no"}, True),
        ("years_since(born) < 18", {}, False),  # a comparison with nothing is false
        ("years_since(born) >= 18", {}, False),
    ],
)
def test_the_condition_grammar(source: str, answers: dict[str, Any], holds: bool) -> None:
    assert parse_condition(source)(answers) is holds


def test_a_variant_changes_the_question_as_asked(engine: Engine) -> None:
    child = answer(engine, engine.start(), ("age", "yes"), ("school", "Synthetic School"), ("born", "2014-05-01"))
    adult = answer(engine, engine.start(), ("age", "no"), ("born", "1990-03-27"))
    assert engine.question(child).text == "Does their guardian consent?"
    assert engine.question(adult).text == "Do they consent?"


def test_an_answer_that_switches_a_variant_asks_it_again_offering_the_answer_to_keep(engine: Engine) -> None:
    done = answer(engine, engine.start(), *ADULT)
    changed = engine.change(done, "age")
    changed = answer(engine, changed, ("age", "yes"))
    assert changed.state == "school"  # the new route first
    changed = answer(engine, changed, ("school", "Synthetic School"))
    assert changed.state == "consent"  # the date of birth is kept; consent is asked again in its other form
    assert engine.question(changed).text == "Does their guardian consent?"
    assert engine.previous(changed) == "yes"  # only the text differs: the answer is offered


def test_back_returns_to_the_previous_answer_on_the_route(engine: Engine) -> None:
    at_consent = answer(engine, engine.start(), ("age", "no"), ("born", "1990-03-27"))
    back = engine.back(at_consent)
    assert back.state == "born"
    assert engine.previous(back) == "1990-03-27"
    assert engine.back(back).state == "age"


def test_back_from_the_review_returns_to_the_last_question(engine: Engine) -> None:
    assert engine.back(answer(engine, engine.start(), *ADULT)).state == "email"


def test_the_engine_keeps_no_answers_once_their_snapshot_is_gone(engine: Engine) -> None:
    """The engine is shared by every conversation: the walk it keeps must not keep a worker's answers."""
    done = answer(engine, engine.start(), *ADULT)
    assert engine.walk(done) == engine.walk(done)  # the second from what it kept
    gone = weakref.ref(done)
    del done
    gc.collect()
    assert gone() is None


def test_a_change_returns_to_the_review_and_drops_answers_off_the_new_route(engine: Engine) -> None:
    done = answer(engine, engine.start(), *ADULT)
    changed = answer(engine, engine.change(done, "ways"), ("ways", ["phone"]))
    assert changed.state == REVIEW
    assert "email" not in changed.answers


def test_only_an_answer_on_the_route_can_be_changed(engine: Engine) -> None:
    done = answer(engine, engine.start(), *ADULT)
    with pytest.raises(TurnRejected) as error:
        engine.change(done, "school")
    assert error.value.code == "not_on_path"


def test_a_contradiction_is_asked_at_once_and_its_set_reroutes(engine: Engine) -> None:
    caught = answer(engine, engine.start(), ("age", "no"), ("born", "2014-05-01"))
    assert caught.conflict == "child-by-date"
    assert engine.question(caught).id == "conflict:child-by-date"
    with pytest.raises(TurnRejected):
        engine.answer(caught, "consent", "yes", TODAY)  # nothing else until it is answered
    resolved = engine.answer(caught, "conflict:child-by-date", "child", TODAY)
    assert resolved.answers["age"] == "yes"
    assert resolved.state == "school"  # the child's route, asking only what it still needs


def test_a_contradiction_can_send_back_to_correct_an_answer(engine: Engine) -> None:
    caught = answer(engine, engine.start(), ("age", "no"), ("born", "2014-05-01"))
    fixing = engine.answer(caught, "conflict:child-by-date", "fix-date", TODAY)
    assert fixing.state == "born"
    assert answer(engine, fixing, ("born", "1990-03-27")).state == "consent"


def test_back_from_a_contradiction_returns_to_the_answer_that_set_it_off(engine: Engine) -> None:
    caught = answer(engine, engine.start(), ("age", "no"), ("born", "2014-05-01"))
    back = engine.back(caught)
    assert (back.state, back.conflict) == ("born", None)


def test_the_kind_is_the_first_rule_that_holds(engine: Engine) -> None:
    flow = engine.flow
    assert flow.kind_of({"consent": "no"}) == "notice"
    assert flow.kind_of({"consent": "yes"}) == "report"
    assert flow.kind_of({}) == "report"
    assert (flow.prefix_of("notice"), flow.prefix_of("report")) == ("NOTICE", "REPORT")  # no block: capitals
