"""The loader's part for grouped questions (docs/flows.md, "Grouped questions"): each field is a
question of its own kind whose id keys its answer, asked when its `if` holds on earlier answers and
its `when` on an earlier field of the group."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .ids import FIELD_KEYS, REVIEW, SUBMITTED, VALID_ID
from .lined_yaml import Lined

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .conditions import Condition
    from .spec import Question


def _field_ids(raw: Lined) -> set[str]:
    return {str(f.get("id")) for f in raw.get("fields") or [] if isinstance(f, Lined)}


class GroupFields:
    """Mixed into the flow loader, which gives it `problem`, `condition`, `question` and `known`."""

    known: dict[str, Lined]

    def problem(self, line: int, message: str) -> None:
        raise NotImplementedError

    def condition(self, text: Any, line: int, where: str, known: Mapping[str, Any]) -> Condition | None:
        raise NotImplementedError

    def question(self, qid: str, q: Lined, where: str) -> Question:
        raise NotImplementedError

    def collect_fields(self, questions: dict[str, Lined]) -> dict[str, Lined]:
        """The fields of every grouped question, by id: ids unique among questions and fields."""
        fields: dict[str, Lined] = {}
        for qid, question in questions.items():
            if question.get("kind") != "group":
                if "fields" in question:
                    self.problem(question.line, f"question {qid!r}: only a group has 'fields'")
                continue
            raw = question.get("fields")
            if not isinstance(raw, list) or not raw:
                self.problem(question.line, f"question {qid!r}: a group needs 'fields', a list of questions")
                continue
            for item in raw:
                fid = item.get("id") if isinstance(item, Lined) else None
                if not isinstance(fid, str) or not VALID_ID.match(fid) or fid in (REVIEW, SUBMITTED):
                    self.problem(getattr(item, "line", question.line), f"question {qid!r}: invalid field id {fid!r}")
                elif fid in questions or fid in fields:
                    self.problem(item.line, f"duplicate question id {fid!r}")
                else:
                    item["_section"] = question["_section"]
                    fields[fid] = item
        return fields

    def fields(self, group: Question, raw: Lined) -> tuple[Question, ...]:
        """A group's fields: each a question of any kind but a group, with its own `if` and `when`."""
        fields: list[Question] = []
        for item in raw.get("fields") or []:
            fid = item.get("id") if isinstance(item, Lined) else None
            if fid not in self.known or self.known[fid] is not item:
                continue  # reported by collect_fields
            where = f"field {fid!r} of {group.id!r}"
            for key in set(item) - FIELD_KEYS - {"_section"}:
                self.problem(item.line, f"{where}: unknown key {key!r}")
            if item.get("kind") == "group":
                self.problem(item.line, f"{where}: a group cannot hold another group")
                continue
            built = self.question(fid, item, where)
            condition = None
            if "if" in item:
                condition = self.condition(item["if"], item.line, where, self.known)
                if condition is not None and condition.names & _field_ids(raw):
                    self.problem(item.line, f"{where}: 'if' reads earlier answers; use 'when' for a field of its group")
            fields.append(replace(built, condition=condition, when=self.when(item, where, fields)))
        return tuple(fields)

    def when(self, item: Lined, where: str, earlier: list[Question]) -> tuple[str, tuple[str, ...]] | None:
        """`when: {field: [values]}`: asked only when an earlier field with options has one of them."""
        raw = item.get("when")
        if raw is None:
            return None
        if not isinstance(raw, dict) or len(raw) != 1:
            self.problem(item.line, f"{where}: 'when' is {{<earlier field>: [<its values>]}}")
            return None
        ((fid, values),) = raw.items()
        values = [values] if isinstance(values, str) else values
        sibling = next((f for f in earlier if f.id == fid), None)
        options = {o.value for o in sibling.options} if sibling else set()
        if sibling is None or not options or not isinstance(values, list) or not set(map(str, values)) <= options:
            self.problem(
                item.line, f"{where}: 'when' names an earlier field of the group with options, and some of them"
            )
            return None
        return fid, tuple(map(str, values))
