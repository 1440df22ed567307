"""A question that may not repeat another's answer (`not_same_as`): a second nationality equal to the first
is refused in the flow's own words; a different one, or none, is taken."""

from __future__ import annotations

import pytest

from assistant.engine import FlowError, TurnRejected, parse_flow
from tests.engine.conftest import TODAY, Walk
from tests.engine.test_kinds import flow_with
from tests.scenarios import ROUTES

SECOND = "pv-nationality-second"


def test_a_second_nationality_equal_to_the_first_is_refused(walk: Walk) -> None:
    walk.through({**ROUTES["adult-consent-without-support"], "pv-nationality": "VN", SECOND: None})
    engine = walk.engine
    asking = engine.change(walk.snapshot, SECOND)  # re-asks the group the field belongs to
    group = asking.state
    given = {f.id: walk.snapshot.answers.get(f.id) for f in engine.flow.questions[group].fields}
    with pytest.raises(TurnRejected) as refused:
        engine.answer(asking, group, {**given, SECOND: "VN"}, TODAY)
    [field] = refused.value.fields
    assert field.question_id == SECOND
    assert isinstance(field.message, str)
    assert field.message.startswith("This is the same as their first nationality.")
    assert field.context == f"nrm:{SECOND}"  # translated as the flow's text is
    assert engine.answer(asking, group, {**given, SECOND: "ER"}, TODAY).answers[SECOND] == "ER"
    assert engine.answer(asking, group, {**given, SECOND: None}, TODAY).answers[SECOND] is None
    both = {**given, "pv-nationality": "ER", SECOND: "ER"}  # the first changed to match the second, in one turn
    with pytest.raises(TurnRejected):
        engine.answer(asking, group, both, TODAY)


def test_the_rule_names_a_question_and_says_what_to_do() -> None:
    source = flow_with(
        "      - id: a\n        kind: text\n        text: A?\n"
        "      - id: b\n        kind: text\n        text: B?\n        not_same_as: nowhere\n"
        "      - id: c\n        kind: text\n        text: C?\n        not_same_as: a\n"
    )
    with pytest.raises(FlowError) as raised:
        parse_flow(source, "t.yaml")
    assert [p.message for p in raised.value.problems] == [
        "question 'b': 'not_same_as' names another question and comes with 'same_message'",
        "question 'c': 'not_same_as' names another question and comes with 'same_message'",
    ]
