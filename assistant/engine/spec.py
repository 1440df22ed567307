"""A flow as the engine reads it: immutable specs of its sections, questions, options and routes, made
by the loader (flow.py) from a flow file (docs/flows.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from .conditions import Condition
from .conflicts import ConflictRule
from .integration import Integration
from .kinds import KINDS
from .quality import QualityCheck


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Route:
    """Go to ``target`` when ``condition`` holds (always, when it is None)."""

    target: str
    condition: Condition | None = None


@dataclass(frozen=True)
class Variant:
    condition: Condition
    overrides: Mapping[str, Any]


@dataclass(frozen=True)
class Question:
    """One step of a flow. Text fields hold the English source, translated by the presenter."""

    id: str
    kind: str
    text: str
    section: str
    line: int
    hint: str | None = None
    help: str | None = None
    required: bool = True
    options: tuple[Option, ...] = ()
    lookup: str | None = None
    repeat: int | None = None
    free_text: bool = False  # a long list's answer may be typed as written when no entry fits
    max_length: int | None = None
    no_urls: bool = False
    min: int | None = None
    max: int | None = None
    records: str = "seen"
    routes: tuple[Route, ...] = ()
    variants: tuple[Variant, ...] = ()
    comment: str | None = None
    card: str | None = None  # a card for the person (flows/cards) that the question relies on
    required_message: str | None = None  # said when the required question is left empty
    not_same_as: str | None = None  # a question or field whose answer this one may not repeat (second nationality)
    same_message: str | None = None  # said when it does
    # A grouped question (kind "group"): its fields, each a question whose id keys its answer.
    fields: tuple[Question, ...] = ()
    # For a field: asked only when this condition on earlier answers holds (None: always)...
    condition: Condition | None = None
    # ...and only when an earlier field of its group was answered with one of these values.
    when: tuple[str, tuple[str, ...]] | None = None

    @cached_property
    def _forms(self) -> dict[tuple[int, tuple[int | None, ...]], Question]:
        """The forms this question has been asked in, by _form_of: made once each, as a walk of the
        flow or a review asks for them again and again (so one form is one object). Not a field: a
        copy made by ``replace`` starts with none."""
        return {}

    def variant_index(self, answers: Mapping[str, Any]) -> int:
        """Which variant applies given ``answers``: its position, or -1 for the question as written."""
        return next((i for i, v in enumerate(self.variants) if v.condition(answers)), -1)

    def resolved(self, answers: Mapping[str, Any]) -> Question:
        """This question as asked given ``answers``: the first matching variant applied."""
        form = self._form_of(answers)
        question = self._forms.get(form)
        if question is None:
            question = self._forms.setdefault(form, self._made(form))
        return question

    def _form_of(self, answers: Mapping[str, Any]) -> tuple[int, tuple[int | None, ...]]:
        """What ``answers`` select: the variant, and each field's (None for a field not asked)."""
        fields = tuple(
            f.variant_index(answers) if f.condition is None or f.condition(answers) else None for f in self.fields
        )
        return self.variant_index(answers), fields

    def _made(self, form: tuple[int, tuple[int | None, ...]]) -> Question:
        index, field_forms = form
        question = self if index < 0 else replace(self, **self.variants[index].overrides)
        if self.fields:  # a group: the fields its earlier answers call for, each as asked
            fields = tuple(f._made((i, ())) for f, i in zip(self.fields, field_forms, strict=True) if i is not None)
            # Skip is offered only when nothing in it must be answered (an explanation is acknowledged).
            required = any(f.required or not KINDS[f.kind].takes_answer for f in fields)
            question = replace(question, fields=fields, required=required)
        if index < 0:
            return question
        if not KINDS[question.kind].takes_answer:  # an explanation to acknowledge: no answers to choose from
            return replace(question, required=False, options=())
        return question


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Flow:
    """A validated flow version."""

    id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    questions: Mapping[str, Question]
    start: str
    digest: str
    source: str = field(repr=False)
    file: str = ""
    kinds: tuple[tuple[Condition | None, str], ...] = ()
    integration: Integration = field(default_factory=Integration)
    conflicts: tuple[ConflictRule, ...] = ()  # contradiction rules, checked after every answer
    quality: tuple[QualityCheck, ...] = ()  # weaknesses listed on the review, never blocking

    def kind_of(self, answers: Mapping[str, Any]) -> str:
        """What a submission is (for the NRM: "nrm" or "dtn"), by the flow's first matching rule."""
        return next((kind for condition, kind in self.kinds if condition is None or condition(answers)), self.id)

    def prefix_of(self, kind: str) -> str:
        """The reference prefix of a kind this flow makes (the loader checks every kind has one)."""
        return self.integration.prefixes[kind]

    @cached_property
    def fields(self) -> dict[str, Question]:
        """Every field of every grouped question, by id."""
        return {f.id: f for q in self.questions.values() for f in q.fields}

    def answerable(self, answer_id: str) -> Question | None:
        """The question or field whose answer is keyed by ``answer_id``."""
        return self.questions.get(answer_id) or self.fields.get(answer_id)

    @cached_property
    def _groups(self) -> dict[str, str]:
        return {f.id: q.id for q in self.questions.values() for f in q.fields}

    def step_of(self, answer_id: str) -> str:
        """The question that asks for ``answer_id``: its group for a field, else itself."""
        return self._groups.get(answer_id, answer_id)

    def answer_keys(self, question_id: str) -> list[str]:
        """The keys a question's answer is stored under: each field's id for a group."""
        question = self.questions.get(question_id)
        return [f.id for f in question.fields] if question and question.fields else [question_id]

    def section_index(self, section_id: str) -> int:
        """The 1-based position of a section."""
        return next(i for i, s in enumerate(self.sections, 1) if s.id == section_id)
