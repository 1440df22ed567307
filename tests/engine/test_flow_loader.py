"""The flow loader reports every problem with its file and line."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from assistant.engine import FlowError, parse_flow
from assistant.engine.machines import advance, build_machine, mermaid

GOOD = """\
flow: demo
version: "1"
title: Demo
sections:
  - id: one
    title: One
    questions:
      - id: age
        kind: choice
        text: Under 18?
        options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]
        next:
          - if: age == "yes"
            goto: council
          - goto: name
      - id: council
        kind: text
        text: Which council?
      - id: name
        kind: text
        text: Name?
"""


def problems(source: str) -> list[str]:
    with pytest.raises(FlowError) as error:
        parse_flow(textwrap.dedent(source), "demo.yaml")
    return [str(p) for p in error.value.problems]


def test_a_good_flow_loads_with_its_routes() -> None:
    flow = parse_flow(GOOD, "demo.yaml")
    machine = build_machine(flow)
    assert list(flow.questions) == ["age", "council", "name"]
    assert advance(machine, "age", {"age": "yes"}) == "council"
    assert advance(machine, "age", {"age": "no"}) == "name"
    assert advance(machine, "name", {}) == "review"
    assert 'age --> council : age == "yes"' in mermaid(flow)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("kind: text\n        text: Name?", "kind: essay\n        text: Name?"),
            "demo.yaml:19: question 'name': unknown kind 'essay'",
        ),
        (("goto: name", "goto: nowhere"), "demo.yaml:15: question 'age': goes to unknown question 'nowhere'"),
        (
            ('age == "yes"', 'colour == "red"'),
            "demo.yaml:13: question 'age': condition names unknown question 'colour'",
        ),
        (('age == "yes"', 'age = "yes"'), "demo.yaml:13: question 'age': condition 'age = \"yes\"' does not parse"),
        (
            ("text: Which council?", "text: Which council?\n        next: council"),
            "demo.yaml:16: question 'council' is a dead end",
        ),
        (
            ("            goto: council\n", "            goto: name\n"),
            "demo.yaml:16: question 'council' is unreachable",
        ),
        (
            ('options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]', "hint: none"),
            "demo.yaml:8: question 'age': a choice question needs 'options'",
        ),
        (
            ("kind: text\n        text: Name?", "kind: select\n        lookup: planets\n        text: Name?"),
            "demo.yaml:19: question 'name': unknown list 'planets'",
        ),
        (("id: council", "id: age"), "demo.yaml:16: duplicate question id 'age'"),
        (("          - goto: name\n", ""), "demo.yaml:8: question 'age': the last rule of 'next' must have no 'if'"),
    ],
)
def test_each_problem_is_reported_with_file_and_line(edit: tuple[str, str], expected: str) -> None:
    old, new = edit
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_reported_not_just_the_first() -> None:
    found = problems(GOOD.replace("kind: text", "kind: essay").replace("goto: name", "goto: nowhere"))
    assert len(found) >= 3


def test_invalid_yaml_is_reported_with_its_line() -> None:
    assert problems("flow: demo\nsections: [\n")[0].startswith("demo.yaml:")


def test_the_engine_imports_no_web_or_storage_code() -> None:
    code = (
        "import sys, assistant.engine; bad = [m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'flask_socketio', 'sqlalchemy') or m.startswith(('assistant.storage', 'assistant.web'))]; "
        "print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
