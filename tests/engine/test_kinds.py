"""The registry of question kinds: one definition per kind, from which the loader, validation, the prompt
payload and both clients draw."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine import FlowError, parse_flow
from assistant.engine.kinds import KINDS, Control
from assistant.engine.validators import Invalid, validate
from tests.engine.conftest import TODAY, FakeLists

PARTIALS = Path(__file__).resolve().parents[2] / "assistant" / "templates" / "form" / "kinds"
ONE_LINE = {"text", "email", "phone", "number", "postcode"}


def flow_with(question: str) -> str:
    return f"flow: t\nversion: 1\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n{question}"


def test_each_kind_is_registered_under_its_own_name() -> None:
    assert all(name == kind.name for name, kind in KINDS.items())
    assert set(KINDS) == {
        "choice",
        "multichoice",
        "text",
        "textarea",
        "date",
        "number",
        "email",
        "phone",
        "postcode",
        "select",
        "info",
        "upload",
        "group",
    }


def test_the_kinds_answered_in_one_line_describe_their_input() -> None:
    assert {name for name, kind in KINDS.items() if kind.input() is not None} == ONE_LINE
    assert KINDS["text"].input() == {"attributes": {}}
    assert KINDS["email"].input() == {"attributes": {"type": "email", "autocapitalize": "none", "spellcheck": "false"}}
    assert KINDS["phone"].input() == {"attributes": {"type": "tel"}, "width": 20}
    assert KINDS["number"].input() == {"attributes": {"inputmode": "numeric"}, "width": 10}
    assert KINDS["postcode"].input() == {
        "attributes": {"autocapitalize": "characters", "spellcheck": "false"},
        "width": 10,
    }


@pytest.mark.parametrize(
    "prompt",
    [
        {"kind": "choice"},
        {"kind": "multichoice"},
        {"kind": "select", "options": [{"value": "a", "label": "A"}]},
        {"kind": "select", "lookup": "countries"},
        {"kind": "select", "lookup": "countries", "repeat": 3},
        *({"kind": name} for name in sorted(set(KINDS) - {"choice", "multichoice", "select"})),
    ],
)
def test_every_control_of_every_kind_has_its_template_partial(prompt: dict[str, object]) -> None:
    control = KINDS[str(prompt["kind"])].control_for(prompt)
    assert (PARTIALS / f"{control.partial}.html").is_file(), control


def test_a_select_asks_with_options_or_one_box_per_answer() -> None:
    select = KINDS["select"]
    assert select.control_for({"options": [{"value": "a", "label": "A"}]}) == Control("options", group=True)
    assert select.control_for({"lookup": "countries"}) == Control("lookup")
    assert select.control_for({"lookup": "countries", "repeat": 3}) == Control("lookup-repeat")


def test_a_kinds_own_field_checks_are_reported_with_file_and_line() -> None:
    source = flow_with("      - id: pick\n        kind: choice\n        text: Pick?\n")
    with pytest.raises(FlowError) as raised:
        parse_flow(source, "t.yaml")
    assert [(p.file, p.line, p.message) for p in raised.value.problems] == [
        ("t.yaml", 8, "question 'pick': a choice question needs 'options'")
    ]


def test_a_required_question_left_empty_says_what_its_kind_needs() -> None:
    flow = parse_flow(flow_with("      - id: when\n        kind: date\n        text: When?\n"))
    with pytest.raises(Invalid) as raised:
        validate(flow.questions["when"], {"day": "", "month": " ", "year": ""}, FakeLists(), TODAY)
    assert raised.value.message == "Enter a date"


def test_an_explanation_is_never_required_and_records_its_own_value() -> None:
    flow = parse_flow(
        flow_with("      - id: note\n        kind: info\n        text: Read this.\n        records: seen\n")
    )
    note = flow.questions["note"]
    assert note.required is False
    assert validate(note, None, FakeLists(), TODAY) == "seen"


def test_free_text_has_a_length_limit_unless_the_flow_sets_its_own() -> None:
    flow = parse_flow(
        flow_with(
            "      - id: a\n        kind: text\n        text: A?\n"
            "      - id: b\n        kind: textarea\n        text: B?\n        max_length: 10\n"
            "      - id: c\n        kind: email\n        text: C?\n"
        )
    )
    assert [flow.questions[q].max_length for q in "abc"] == [15000, 10, None]
