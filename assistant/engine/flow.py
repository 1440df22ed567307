"""Load flow files (docs/flows.md) into immutable specs, reporting every problem with file and line."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from .conditions import Condition, ConditionError, parse_condition
from .conflicts import ConflictParser
from .errors import FlowError, FlowProblem
from .graph import graph_problems
from .group_fields import GroupFields
from .ids import QUESTION_KEYS as _QUESTION_KEYS
from .ids import REVIEW, SUBMITTED, VALID_ID
from .integration import check_integration, read_integration, undeclared
from .kinds import KINDS
from .lined_yaml import Lined, LineLoader
from .quality import QualityParser
from .spec import Flow, Option, Question, Route, Section, Variant

BUILTIN_LISTS = frozenset({"countries", "countries-overseas", "nationalities"})

_ID = VALID_ID
_VARIANT_KEYS = frozenset(
    {"if", "kind", "text", "hint", "help", "card", "options", "records", "comment", "required_message"}
)
_TEXT_KEYS = ("text", "hint", "help", "required_message", "same_message")


def digest_of(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def load_flow(path: str | Path, known_lists: Iterable[str] = BUILTIN_LISTS) -> Flow:
    """Load and check one flow file; raise FlowError listing every problem."""
    path = Path(path)
    return parse_flow(path.read_text(encoding="utf-8"), str(path), known_lists)


def parse_flow(source: str, file: str = "<flow>", known_lists: Iterable[str] = BUILTIN_LISTS) -> Flow:
    """Parse and check flow ``source``; raise FlowError listing every problem."""
    try:
        data = yaml.load(source, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise FlowError([FlowProblem(file, mark.line + 1 if mark else 1, f"not valid YAML: {error}")]) from None
    return _Builder(file, set(known_lists)).build(data, source)


class _Builder(GroupFields):
    def __init__(self, file: str, known_lists: set[str]) -> None:
        self.file = file
        self.known_lists = known_lists
        self.problems: list[FlowProblem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(FlowProblem(self.file, line, message))

    def build(self, data: Any, source: str) -> Flow:
        if not isinstance(data, Lined):
            raise FlowError([FlowProblem(self.file, 1, "a flow file must be a mapping")])
        for key in set(data) - {"flow", "version", "title", "sections", "kinds", "integration", "conflicts", "quality"}:
            self.problem(data.line, f"unknown key {key!r}")
        flow_id, version = data.get("flow"), data.get("version")
        if not isinstance(flow_id, str) or not _ID.match(flow_id):
            self.problem(data.line, "'flow' must be an id such as 'nrm'")
        if not isinstance(version, str | int) or isinstance(version, bool):
            self.problem(data.line, "'version' must be a string such as \"1\"")
        if not isinstance(data.get("title"), str):
            self.problem(data.line, "'title' is required")
        sections, raw_questions, lines = self.collect(data.get("sections"), data.line)
        if not raw_questions:
            self.problem(data.line, "a flow needs at least one question")
            raise FlowError(self.problems)
        raw_fields = self.collect_fields(raw_questions)
        self.known: dict[str, Lined] = {**raw_questions, **raw_fields}  # what conditions may name
        questions = self.link(raw_questions, lines)
        answerable = {**questions, **{f.id: f for q in questions.values() for f in q.fields}}
        kinds = self.kinds(data.get("kinds", []), data.line, answerable)
        made = [kind for _, kind in kinds]
        if isinstance(flow_id, str) and all(condition is not None for condition, _ in kinds):
            made.append(flow_id)  # when no rule holds, kind_of falls back to the flow id
        if "integration" in data:
            integration = read_integration(data["integration"], data.line, self.problem)
        else:
            integration = undeclared(made)
        block_line = getattr(data.get("integration"), "line", data.line)
        check_integration(integration, block_line, answerable, made, self.problem)
        conflicts = ConflictParser(self.problem, self.condition).parse(data.get("conflicts", []), data.line, self.known)
        quality = QualityParser(self.problem).parse(data.get("quality", []), data.line, self.known)
        for line, message in graph_problems({q: [r.target for r in questions[q].routes] for q in questions}, lines):
            self.problem(line, message)
        if self.problems:
            raise FlowError(self.problems)
        return Flow(
            id=str(flow_id),
            version=str(version),
            title=data["title"],
            sections=tuple(sections),
            questions=questions,
            start=next(iter(questions)),
            digest=digest_of(source),
            source=source,
            file=self.file,
            kinds=tuple(kinds),
            integration=integration,
            conflicts=conflicts,
            quality=quality,
        )

    def kinds(self, raw: Any, line: int, known: Mapping[str, Any]) -> list[tuple[Condition | None, str]]:
        if not isinstance(raw, list):
            self.problem(line, "'kinds' must be a list of {if: <condition>, kind: <name>}")
            return []
        kinds: list[tuple[Condition | None, str]] = []
        for rule in raw:
            rule_line = getattr(rule, "line", line)
            if not isinstance(rule, dict) or not isinstance(rule.get("kind"), str) or set(rule) - {"if", "kind"}:
                self.problem(rule_line, "a kind rule is {if: <condition>, kind: <name>}")
                continue
            condition = self.condition(rule["if"], rule_line, "kinds", known) if "if" in rule else None
            kinds.append((condition, rule["kind"]))
        return kinds

    def collect(self, raw: Any, line: int) -> tuple[list[Section], dict[str, Lined], dict[str, int]]:
        sections: list[Section] = []
        questions: dict[str, Lined] = {}
        if not isinstance(raw, list) or not raw:
            self.problem(line, "'sections' must be a non-empty list")
            return sections, questions, {}
        for section in raw:
            if not isinstance(section, Lined):
                self.problem(line, "each section must be a mapping")
                continue
            for key in set(section) - {"id", "title", "questions"}:
                self.problem(section.line, f"unknown section key {key!r}")
            sid = section.get("id")
            if not isinstance(sid, str) or not _ID.match(sid):
                self.problem(section.line, "a section needs an 'id' of lower case letters, digits and hyphens")
                sid = f"section-{len(sections) + 1}"
            if sid in {s.id for s in sections}:
                self.problem(section.line, f"duplicate section id {sid!r}")
            if not isinstance(section.get("title"), str):
                self.problem(section.line, f"section {sid!r} needs a 'title'")
            ids = []
            for question in section.get("questions") or []:
                if not isinstance(question, Lined):
                    self.problem(section.line, f"section {sid!r}: each question must be a mapping")
                    continue
                qid = question.get("id")
                if not isinstance(qid, str) or not _ID.match(qid) or qid in (REVIEW, SUBMITTED):
                    self.problem(question.line, f"invalid question id {qid!r}")
                    continue
                if qid in questions:
                    self.problem(question.line, f"duplicate question id {qid!r}")
                    continue
                question["_section"] = sid
                questions[qid] = question
                ids.append(qid)
            if not ids:
                self.problem(section.line, f"section {sid!r} has no questions")
            sections.append(Section(sid, str(section.get("title", "")), tuple(ids)))
        return sections, questions, {qid: q.line for qid, q in questions.items()}

    def condition(self, text: Any, line: int, where: str, known: Mapping[str, Any]) -> Condition | None:
        if not isinstance(text, str):
            self.problem(line, f"{where}: 'if' must be a string")
            return None
        try:
            condition = parse_condition(text)
        except ConditionError as error:
            self.problem(line, f"{where}: condition {text!r} does not parse: {error}")
            return None
        for name in sorted(condition.names - set(known)):
            self.problem(line, f"{where}: condition names unknown question {name!r}")
        return condition

    def link(self, raw: dict[str, Lined], lines: dict[str, int]) -> dict[str, Question]:
        ids = list(raw)
        built: dict[str, Question] = {}
        for position, (qid, q) in enumerate(raw.items()):
            where = f"question {qid!r}"
            for key in set(q) - _QUESTION_KEYS - {"_section"}:
                self.problem(q.line, f"{where}: unknown key {key!r}")
            default_next = ids[position + 1] if position + 1 < len(ids) else REVIEW
            routes = self.routes(q.get("next", default_next), q.line, where, raw)
            question = replace(self.question(qid, q, where), routes=tuple(routes))
            if question.kind == "group":
                fields = self.fields(question, q)
                # Skip is offered only when nothing in the group is required.
                question = replace(question, fields=fields, required=any(f.required for f in fields))
            built[qid] = question
        return built

    def question(self, qid: str, q: Lined, where: str) -> Question:
        """A question or a field as written, with its variants; routes and fields are the caller's."""
        variants = []
        for variant in q.get("variants") or []:
            if not isinstance(variant, Lined) or "if" not in variant:
                self.problem(q.line, f"{where}: each variant needs an 'if'")
                continue
            for key in set(variant) - _VARIANT_KEYS:
                self.problem(variant.line, f"{where}: a variant may not set {key!r}")
            condition = self.condition(variant["if"], variant.line, where, self.known)
            overrides = {k: v for k, v in variant.items() if k != "if" and k in _VARIANT_KEYS}
            self.check_fields(overrides, variant.line, where, partial=True)
            if "options" in overrides:
                overrides["options"] = self.options(overrides["options"], variant.line, where)
            if condition:
                variants.append(Variant(condition, overrides))
        self.check_fields(q, q.line, where, partial=False)
        if ("not_same_as" in q) != ("same_message" in q) or q.get("not_same_as", qid) not in self.known:
            self.problem(q.line, f"{where}: 'not_same_as' names another question and comes with 'same_message'")
        kind: Any = q.get("kind")  # check_fields has reported it if it is not a known kind
        spec = KINDS.get(kind) if isinstance(kind, str) else None
        return Question(
            id=qid,
            kind=kind,
            text=q.get("text", ""),
            section=q["_section"],
            line=q.line,
            hint=q.get("hint"),
            help=q.get("help"),
            required=bool(q.get("required", True)) and (spec is None or spec.takes_answer),
            options=self.options(q.get("options"), q.line, where),
            lookup=q.get("lookup"),
            repeat=q.get("repeat"),
            free_text=q.get("free_text") is True,
            max_length=q.get("max_length", spec.max_length if spec else None),
            no_urls=bool(q.get("no_urls", False)),
            min=q.get("min"),
            max=q.get("max"),
            records=str(q.get("records", "seen")),
            variants=tuple(variants),
            comment=q.get("comment"),
            card=q.get("card"),
            required_message=q.get("required_message"),
            not_same_as=q.get("not_same_as"),
            same_message=q.get("same_message"),
        )

    def routes(self, raw: Any, line: int, where: str, known: Mapping[str, Any]) -> list[Route]:
        if isinstance(raw, str):
            raw = [{"goto": raw}]
        if not isinstance(raw, list) or not raw:
            self.problem(line, f"{where}: 'next' must be a question id or a list of rules")
            return []
        routes: list[Route] = []
        for rule in raw:
            rule_line = getattr(rule, "line", line)
            if not isinstance(rule, dict) or "goto" not in rule or set(rule) - {"if", "goto"}:
                self.problem(rule_line, f"{where}: a rule is {{if: <condition>, goto: <question id>}}")
                continue
            if routes and routes[-1].condition is None:
                self.problem(rule_line, f"{where}: a rule after a rule without 'if' can never apply")
            target = rule["goto"]
            condition = self.condition(rule["if"], rule_line, where, self.known) if "if" in rule else None
            if target != REVIEW and target not in known:
                self.problem(rule_line, f"{where}: goes to unknown question {target!r}")
                continue
            if "if" in rule and condition is None:
                continue
            routes.append(Route(target, condition))
        if routes and routes[-1].condition is not None:
            self.problem(line, f"{where}: the last rule of 'next' must have no 'if', so that there is always a way on")
        return routes

    def options(self, raw: Any, line: int, where: str) -> tuple[Option, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(o, dict) and {"value", "label"} <= set(o) for o in raw):
            self.problem(line, f"{where}: 'options' must be a list of {{value, label}}")
            return ()
        values = [str(o["value"]) for o in raw]
        if len(set(values)) != len(values):
            self.problem(line, f"{where}: option values must be unique")
        return tuple(Option(str(o["value"]), str(o["label"])) for o in raw)

    def check_fields(self, q: Mapping[str, Any], line: int, where: str, partial: bool) -> None:
        kind = q.get("kind")
        if kind is not None and kind not in KINDS:
            self.problem(line, f"{where}: unknown kind {kind!r} (expected one of {', '.join(sorted(KINDS))})")
            return
        if partial:
            return
        if kind is None:
            self.problem(line, f"{where}: 'kind' is required")
            return
        for key in _TEXT_KEYS:
            if key in q and not isinstance(q[key], str):
                self.problem(line, f"{where}: {key!r} must be text")
        if not q.get("text"):
            self.problem(line, f"{where}: 'text' is required")
        for message in KINDS[kind].check(q):
            self.problem(line, f"{where}: {message}")
        if "card" in q and (not isinstance(q["card"], str) or not _ID.match(q["card"])):
            self.problem(line, f"{where}: 'card' must be the id of a card")
        if q.get("lookup") is not None and q["lookup"] not in self.known_lists:
            self.problem(line, f"{where}: unknown list {q['lookup']!r}")
        if "repeat" in q and (kind != "select" or not isinstance(q["repeat"], int) or not 1 < q["repeat"] <= 50):
            self.problem(line, f"{where}: 'repeat' is a whole number from 2 to 50, for select questions")
        if "free_text" in q and (not isinstance(q["free_text"], bool) or not q.get("lookup")):
            self.problem(line, f"{where}: 'free_text' is true or false, for select questions with a 'lookup'")
        for key in ("max_length", "min", "max"):
            if key in q and (not isinstance(q[key], int) or isinstance(q[key], bool)):
                self.problem(line, f"{where}: {key!r} must be a whole number")
