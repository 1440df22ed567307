"""Contradiction rules: answers that cannot all be true, caught as soon as they are given.

A flow declares them at the top level (docs/flows.md, "Contradiction rules"):

    conflicts:
      - id: dob-under-18
        if: 'pv-under-age == "no" and years_since(pv-dob) < 18'
        message: "This date of birth makes them under 18, but you answered that they are not."
        options:
          - {value: under-18, label: "They are under 18", set: {pv-under-age: "yes"}}
          - {value: correct-dob, label: "Correct the date of birth", change: pv-dob}

After every answer the engine checks the rules in order; the first that holds turns into a choice
question with the id ``conflict:<rule id>``, asked before anything else. Each option either sets
answers (re-routing as a change does) or goes back to a question to correct it. List the safe
choice first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import Condition

PREFIX = "conflict:"
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_RULE_KEYS = frozenset({"id", "if", "message", "hint", "options", "comment"})
_OPTION_KEYS = frozenset({"value", "label", "set", "change"})


@dataclass(frozen=True)
class Resolution:
    """One way out of a contradiction: set answers, or correct one (the first answered of ``change``)."""

    value: str
    label: str
    sets: Mapping[str, str]
    change: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConflictRule:
    id: str
    condition: Condition
    message: str
    options: tuple[Resolution, ...]
    line: int
    hint: str | None = None
    comment: str | None = None

    @property
    def question_id(self) -> str:
        return PREFIX + self.id


def holding(rules: tuple[ConflictRule, ...], answers: Mapping[str, Any], today: dt.date) -> ConflictRule | None:
    """The first rule whose condition holds for these answers, if any."""
    return next((rule for rule in rules if rule.condition(answers, today)), None)


def rule_for(rules: tuple[ConflictRule, ...], rule_id: str) -> ConflictRule:
    return next(rule for rule in rules if rule.id == rule_id)


class ConflictParser:
    """Checks the ``conflicts`` block of a flow, reporting problems through the flow loader."""

    def __init__(
        self,
        problem: Callable[[int, str], None],
        condition: Callable[[Any, int, str, Mapping[str, Any]], Condition | None],
    ) -> None:
        self.problem = problem
        self.condition = condition

    def parse(self, raw: Any, line: int, questions: Mapping[str, Any]) -> tuple[ConflictRule, ...]:
        if not isinstance(raw, list):
            self.problem(line, "'conflicts' must be a list of rules")
            return ()
        rules: list[ConflictRule] = []
        for item in raw:
            rule = self.rule(item, getattr(item, "line", line), questions)
            if rule is None:
                continue
            if rule.id in {r.id for r in rules}:
                self.problem(rule.line, f"duplicate conflict id {rule.id!r}")
                continue
            rules.append(rule)
        return tuple(rules)

    def rule(self, item: Any, line: int, questions: Mapping[str, Any]) -> ConflictRule | None:
        if not isinstance(item, dict):
            self.problem(line, "a conflict is {id, if, message, options}")
            return None
        for key in sorted(set(item) - _RULE_KEYS):
            self.problem(line, f"conflict: unknown key {key!r}")
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            self.problem(line, "a conflict needs an 'id' of lower case letters, digits and hyphens")
            return None
        where = f"conflict {rule_id!r}"
        for key in ("message", "hint", "comment"):
            if key in item and not isinstance(item[key], str):
                self.problem(line, f"{where}: {key!r} must be text")
        if not isinstance(item.get("message"), str):
            self.problem(line, f"{where}: 'message' is required")
        condition = self.condition(item.get("if"), line, where, questions)
        options = self.options(item.get("options"), line, where, questions)
        if condition is None or not options or not isinstance(item.get("message"), str):
            return None
        return ConflictRule(rule_id, condition, item["message"], options, line, item.get("hint"), item.get("comment"))

    def options(self, raw: Any, line: int, where: str, questions: Mapping[str, Any]) -> tuple[Resolution, ...]:
        if not isinstance(raw, list) or len(raw) < 2:
            self.problem(line, f"{where}: 'options' must list at least two ways to resolve it")
            return ()
        options: list[Resolution] = []
        for option in raw:
            option_line = getattr(option, "line", line)
            if not isinstance(option, dict) or not {"value", "label"} <= set(option) or set(option) - _OPTION_KEYS:
                self.problem(
                    option_line, f"{where}: an option is {{value, label, set: {{…}}}} or {{value, label, change}}"
                )
                continue
            if ("set" in option) == ("change" in option):
                self.problem(option_line, f"{where}: an option either sets answers or changes a question, not both")
                continue
            sets = option.get("set") or {}
            change = option.get("change") or []
            change = [change] if isinstance(change, str) else change
            if not isinstance(sets, dict) or not isinstance(change, list):
                self.problem(option_line, f"{where}: 'set' is a mapping and 'change' a question id or a list of them")
                continue
            for qid, value in sets.items():
                self.check_value(qid, value, option_line, where, questions)
            for qid in change:
                if qid not in questions:
                    self.problem(option_line, f"{where}: changes unknown question {qid!r}")
            options.append(
                Resolution(
                    str(option["value"]), str(option["label"]), {k: str(v) for k, v in sets.items()}, tuple(change)
                )
            )
        if len({o.value for o in options}) != len(options):
            self.problem(line, f"{where}: option values must be unique")
        return tuple(options)

    def check_value(self, qid: Any, value: Any, line: int, where: str, questions: Mapping[str, Any]) -> None:
        question = questions.get(qid)
        if question is None:
            self.problem(line, f"{where}: sets unknown question {qid!r}")
            return
        values = {str(o["value"]) for o in question.get("options") or [] if isinstance(o, dict)}
        if question.get("kind") != "choice" or str(value) not in values:
            self.problem(line, f"{where}: can only set a choice question to one of its options ({qid}={value!r})")
