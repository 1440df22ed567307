"""A long list's "not on the list" answer: a name typed as written, allowed only where the flow says so."""

from __future__ import annotations

import pytest

from assistant.engine import FlowError, parse_flow
from assistant.engine.kinds.select import free_text_of
from assistant.engine.validators import Invalid, validate
from tests.engine.conftest import TODAY, FakeLists
from tests.engine.test_kinds import flow_with

PLACES = flow_with(
    "      - id: town\n        kind: select\n        lookup: countries\n        free_text: true\n        text: Where?\n"
    "      - id: towns\n        kind: select\n        lookup: countries\n        free_text: true\n        repeat: 3\n"
    "        text: Where else?\n"
    "      - id: strict\n        kind: select\n        lookup: countries\n        text: Which?\n"
)


def check(question_id: str, value: object) -> object:
    return validate(parse_flow(PLACES).questions[question_id], value, FakeLists(), TODAY)


def test_a_name_typed_as_written_is_kept_marked_as_free_text() -> None:
    assert check("town", {"free_text": "  Little\tSnoring  "}) == {"free_text": "Little Snoring"}
    assert check("towns", ["GB", {"free_text": "Little Snoring"}, "GB"]) == ["GB", {"free_text": "Little Snoring"}]
    assert free_text_of({"free_text": "Little Snoring"}) == "Little Snoring"
    assert free_text_of("GB") is None


def test_a_list_without_the_option_takes_only_its_own_entries() -> None:
    with pytest.raises(Invalid) as raised:
        check("strict", {"free_text": "Little Snoring"})
    assert raised.value.message == "Choose an answer from the list"


@pytest.mark.parametrize("value", [{"free_text": " \t "}, {"free_text": "\x00"}, {"free_text": ""}])
def test_an_empty_name_says_what_to_do(value: object) -> None:
    with pytest.raises(Invalid) as raised:
        check("town", value)
    assert raised.value.message == "Type the name as it is written, or choose one of the matches from the list"


def test_a_name_too_long_says_the_limit() -> None:
    assert check("town", {"free_text": "x" * 100}) == {"free_text": "x" * 100}
    with pytest.raises(Invalid) as raised:
        check("town", {"free_text": "x" * 101})
    assert raised.value.message[1] == "The name must be %(num)s characters or fewer"
    assert raised.value.params == {"num": 100}


@pytest.mark.parametrize(
    "value", [{"free_text": 5}, {"free_text": "a", "value": "GB"}, {"text": "a"}, {"free_text": "\ud800"}]
)
def test_anything_else_shaped_like_it_is_refused(value: object) -> None:
    with pytest.raises(Invalid):
        check("town", value)


def test_the_option_is_only_for_lists() -> None:
    source = flow_with(
        "      - id: pick\n        kind: select\n        options: [{value: a, label: A}]\n        free_text: true\n"
        "        text: Pick?\n"
    )
    with pytest.raises(FlowError) as raised:
        parse_flow(source, "t.yaml")
    assert [p.message for p in raised.value.problems] == [
        "question 'pick': 'free_text' is true or false, for select questions with a 'lookup'"
    ]
