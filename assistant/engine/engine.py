"""The conversation engine: pure functions from a snapshot and an event to a new snapshot.

Routing is replayed from the answers (as GOV.UK Forms builds its check-answers page): the path is
the walk from the first question through each answered question's route. So "back" is the step
before on the path actually taken, and a changed answer re-routes everything after it.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from transitions import Machine

from .conflicts import ConflictRule, holding, rule_for
from .errors import TurnRejected
from .ids import REVIEW, SUBMITTED
from .kinds.group import FieldsInvalid, shown
from .machines import advance, build_machine
from .quality import Weakness, weaknesses
from .spec import Flow, Option, Question, Section
from .validators import N_, Invalid, Lists, Missing, validate


@dataclass(frozen=True)
class Snapshot:
    """Everything the engine needs to continue a conversation; stored as JSON."""

    state: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    changing: bool = False  # set by `change`: after the answer, skip to the first unanswered question
    # For questions with variants, which variant was answered: if earlier answers now select another
    # variant (a child becomes an adult), the question was not asked in this form and is asked again.
    asked: Mapping[str, int] = field(default_factory=dict)
    # A contradiction rule that the last answer made hold (its id): its question is asked before
    # anything else. ``state`` stays at the answer that set it off, where "back" returns.
    conflict: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {
            "state": self.state,
            "answers": dict(self.answers),
            "changing": self.changing,
            "asked": dict(self.asked),
        }
        if self.conflict:
            data["conflict"] = self.conflict
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        return cls(
            data["state"],
            dict(data["answers"]),
            bool(data.get("changing")),
            dict(data.get("asked", {})),
            data.get("conflict"),
        )


@dataclass(frozen=True)
class Progress:
    section: int
    sections: int
    title: str


class Engine:
    """Drives conversations through one flow version on its shared machine."""

    def __init__(self, flow: Flow, lists: Lists, machine: Machine | None = None) -> None:
        self.flow = flow
        self.lists = lists
        self.machine = machine or build_machine(flow)
        # The last whole walk, and (weakly: no answers are kept here) the snapshot it was of. An answer
        # that brings the review asks for the same answers' route several times (the arrival, the
        # submission, the review, the checks).
        self._walked: tuple[weakref.ref[Snapshot], tuple[str, ...], str] | None = None

    # -- reading ---------------------------------------------------------------------------

    def start(self, known: Mapping[str, Any] | None = None) -> Snapshot:
        """A new conversation at the first question. ``known`` answers (what the service already
        knows, such as the worker's organisation) are offered as each question's previous answer:
        the question is still asked, and confirmed with one tap."""
        return Snapshot(self.flow.start, dict(known or {}))

    def question(self, snapshot: Snapshot, question_id: str | None = None) -> Question:
        """A question as asked in this conversation (variants applied); with no id, the one to answer
        now, which is a contradiction's question while one is open."""
        if question_id is None and snapshot.conflict:
            return self._conflict_question(snapshot)
        question_id = question_id or snapshot.state
        step = self.flow.step_of(question_id)
        question = self.flow.questions[step].resolved(snapshot.answers)
        if step != question_id:  # a field, as its group asks it
            field = next((f for f in question.fields if f.id == question_id), None)
            return field or self.flow.fields[question_id].resolved(snapshot.answers)
        return question

    def walk(self, snapshot: Snapshot, stop_at: str | None = None) -> tuple[list[str], str]:
        """Follow the route from the start: the answered questions passed, and where it stops.

        It stops at ``stop_at``, at the first question not answered (in the form it is now asked), or
        at the review.
        """
        if stop_at is None:
            walked = self._walked  # one read: another thread may replace it meanwhile
            if walked is None or not _same_route(walked[0](), snapshot):
                path, state = self._walk(snapshot, None)
                walked = (weakref.ref(snapshot), tuple(path), state)
                self._walked = walked
            return list(walked[1]), walked[2]
        return self._walk(snapshot, stop_at)

    def _walk(self, snapshot: Snapshot, stop_at: str | None) -> tuple[list[str], str]:
        path: list[str] = []
        state = self.flow.start
        while state != REVIEW and state != stop_at and self._answered(snapshot, state):
            if state in path:
                raise RuntimeError(f"flow {self.flow.id} loops at {state!r}")
            path.append(state)
            state = advance(self.machine, state, snapshot.answers)
        return path, state

    def _answered(self, snapshot: Snapshot, question_id: str) -> bool:
        question = self.flow.questions[question_id]
        if question.fields:  # a group: every field its answers call for is answered
            if not all(f.id in snapshot.answers for f in self._asked(snapshot, question_id)):
                return False
        elif question_id not in snapshot.answers:
            return False
        return not question.variants or snapshot.asked.get(question_id, -1) == question.variant_index(snapshot.answers)

    def _asked(self, snapshot: Snapshot, question_id: str) -> list[Question]:
        """The fields of a group as its answers stand: those the earlier answers and its own call for."""
        return shown(self.flow.questions[question_id].resolved(snapshot.answers), snapshot.answers)

    def answer_ids(self, snapshot: Snapshot, question_id: str) -> list[str]:
        """The keys under which a question on the route holds its answer: its fields' for a group."""
        if self.flow.questions[question_id].fields:
            return [f.id for f in self._asked(snapshot, question_id)]
        return [question_id]

    def path(self, snapshot: Snapshot) -> list[str]:
        """The answered questions on the route, in order, up to the current state."""
        if snapshot.state in (REVIEW, SUBMITTED):
            return self.walk(snapshot)[0]
        return self.walk(snapshot, stop_at=snapshot.state)[0]

    def previous(self, snapshot: Snapshot) -> Any:
        """The answer already given to the current question, if any: as it is asked now, or asked before
        in a form that takes the same answers (only the hint or help differed), to be checked again."""
        state = snapshot.state
        if snapshot.conflict or state in (REVIEW, SUBMITTED):
            return None
        if self.flow.questions[state].fields:  # what its fields hold (some perhaps offered from the account)
            given = {
                f.id: snapshot.answers[f.id] for f in self.flow.questions[state].fields if f.id in snapshot.answers
            }
            return given or None
        if state not in snapshot.answers:
            return None
        if self._answered(snapshot, state) or self._same_answers(snapshot, state):
            return snapshot.answers[state]
        return None

    def _same_answers(self, snapshot: Snapshot, question_id: str) -> bool:
        question = self.flow.questions[question_id]
        index = snapshot.asked.get(question_id, -1)
        then = question if index < 0 else replace(question, **question.variants[index].overrides)
        now = question.resolved(snapshot.answers)
        return (then.kind, then.options, then.records) == (now.kind, now.options, now.records)

    def review(self, snapshot: Snapshot) -> list[tuple[Section, list[str]]]:
        """The answers on the route grouped by section, in path order: a group's fields each on its own."""
        groups: dict[str, list[str]] = {}
        for qid in self.walk(snapshot)[0]:
            groups.setdefault(self.flow.questions[qid].section, []).extend(self.answer_ids(snapshot, qid))
        sections = {s.id: s for s in self.flow.sections}
        return [(sections[sid], qids) for sid, qids in groups.items()]

    def submission(self, snapshot: Snapshot) -> dict[str, Any]:
        """The answers to submit: those on the route, in path order (a group's under its fields' ids)."""
        return {key: snapshot.answers[key] for qid in self.walk(snapshot)[0] for key in self.answer_ids(snapshot, qid)}

    def weaknesses(self, snapshot: Snapshot) -> list[Weakness]:
        """What the flow's quality checks find in the answers on the route (engine/quality.py)."""
        return weaknesses(self.flow.quality, self.submission(snapshot))

    def progress(self, snapshot: Snapshot) -> Progress:
        count = len(self.flow.sections)
        if snapshot.state in (REVIEW, SUBMITTED):
            return Progress(count, count, self.flow.sections[-1].title)
        section = self.flow.questions[snapshot.state].section
        index = self.flow.section_index(section)
        return Progress(index, count, self.flow.sections[index - 1].title)

    # -- events ----------------------------------------------------------------------------

    def answer(self, snapshot: Snapshot, question_id: str, value: Any, today: dt.date) -> Snapshot:
        """Record an answer to the current question and move on, unless it contradicts another."""
        self._require_open(snapshot)
        if snapshot.conflict:
            return self._resolve(snapshot, question_id, value, today)
        if snapshot.state == REVIEW or question_id != snapshot.state:
            raise TurnRejected("not_current", N_("That question has already moved on. Answer the question shown."))
        question = self.question(snapshot)
        try:
            normalised = validate(question, value, self.lists, today)
        except FieldsInvalid as error:
            fields = tuple(self._rejected(field, problem, missing) for field, problem, missing in error.problems)
            first = fields[0]
            raise TurnRejected("invalid", first.message, first.params, question_id, first.context, fields) from None
        except Missing as error:
            raise self._rejected(question, error, True) from None
        except Invalid as error:
            raise self._rejected(question, error, False) from None
        if question.fields:  # each field's answer under its own id; fields no longer asked are dropped
            kept = {k: v for k, v in snapshot.answers.items() if k not in self.flow.answer_keys(question_id)}
            answers = {**kept, **normalised}
        else:
            answers = {**snapshot.answers, question_id: normalised}
        self._refuse_repeats(question, normalised if question.fields else {question_id: normalised}, answers)
        asked = dict(snapshot.asked)
        if self.flow.questions[question_id].variants:
            asked[question_id] = self.flow.questions[question_id].variant_index(snapshot.answers)
        moved = Snapshot(question_id, answers, snapshot.changing, asked)
        # After a change, skip ahead to what the new answer makes necessary; otherwise take the next step.
        state = self.walk(moved)[1] if snapshot.changing else advance(self.machine, question_id, answers)
        return self._check(self._arrive(replace(moved, state=state)), question_id, today, snapshot.changing)

    def _refuse_repeats(self, question: Question, given: Mapping[str, Any], answers: Mapping[str, Any]) -> None:
        """An answer that may not repeat another (``not_same_as``: a second nationality) and does."""
        rejected = [
            TurnRejected("invalid", asked.same_message, {}, asked.id, f"{self.flow.id}:{asked.id}")
            for asked in (question.fields or (question,))
            if asked.not_same_as
            and asked.same_message
            and given.get(asked.id) is not None
            and given.get(asked.id) == answers.get(asked.not_same_as)
        ]
        if not rejected:
            return
        first = rejected[0]
        fields = tuple(rejected) if question.fields else ()
        raise TurnRejected("invalid", first.message, first.params, question.id, first.context, fields)

    def _rejected(self, question: Question, error: Invalid, missing: bool) -> TurnRejected:
        if missing and question.required_message:  # what is missing, in the flow's words
            context = f"{self.flow.id}:{question.id}"
            return TurnRejected("invalid", question.required_message, {}, question.id, context)
        return TurnRejected("invalid", error.message, error.params, question.id)

    def back(self, snapshot: Snapshot) -> Snapshot:
        """Go to the question before this one on the path taken."""
        self._require_open(snapshot)
        if snapshot.conflict:  # back to the answer that set it off (after a change, still heading to the review)
            return replace(snapshot, conflict=None)
        path = self.path(snapshot)
        if not path:
            raise TurnRejected("at_start", N_("This is the first question."))
        return replace(snapshot, state=path[-1], changing=False)

    def change(self, snapshot: Snapshot, question_id: str) -> Snapshot:
        """Re-ask an answered question on the route (a field's group); afterwards return to the review."""
        self._require_open(snapshot)
        question_id = self.flow.step_of(question_id)
        if question_id not in self.walk(snapshot)[0]:
            raise TurnRejected("not_on_path", N_("That answer cannot be changed now."), question_id=question_id)
        # An open contradiction is set aside: every later answer checks the rules again.
        return replace(snapshot, state=question_id, changing=True, conflict=None)

    def submit(self, snapshot: Snapshot) -> Snapshot:
        """Close the conversation; only the review can be submitted."""
        self._require_open(snapshot)
        if snapshot.state != REVIEW:
            raise TurnRejected("not_ready", N_("Answer every question before you send it."))
        return replace(snapshot, state=SUBMITTED, answers=self.submission(snapshot), changing=False)

    def _arrive(self, snapshot: Snapshot) -> Snapshot:
        if snapshot.state == REVIEW:  # answers off the route are discarded, never submitted
            path = self.walk(snapshot)[0]
            return Snapshot(
                REVIEW,
                self.submission(snapshot),
                asked={q: i for q, i in snapshot.asked.items() if q in path},
            )
        return snapshot

    # -- contradictions (engine/conflicts.py) ---------------------------------------------------

    def _check(self, snapshot: Snapshot, answered: str, today: dt.date, changing: bool) -> Snapshot:
        """Open the first contradiction the answers now hold, back at the answer that set it off."""
        rule = holding(self.flow.conflicts, snapshot.answers, today)
        if rule is None:
            return snapshot
        return replace(snapshot, state=answered, conflict=rule.id, changing=changing)

    def _conflict_question(self, snapshot: Snapshot) -> Question:
        rule = self._rule(snapshot)
        section = self.flow.questions[snapshot.state].section
        options = tuple(Option(o.value, o.label) for o in rule.options)
        return Question(rule.question_id, "choice", rule.message, section, rule.line, rule.hint, options=options)

    def _rule(self, snapshot: Snapshot) -> ConflictRule:
        assert snapshot.conflict is not None
        return rule_for(self.flow.conflicts, snapshot.conflict)

    def _resolve(self, snapshot: Snapshot, question_id: str, value: Any, today: dt.date) -> Snapshot:
        """Apply the worker's choice: set answers and re-route as a change does, or go back to an answer
        to correct it. Either way the conversation then skips to what the route still needs."""
        rule = self._rule(snapshot)
        if question_id != rule.question_id:
            raise TurnRejected("not_current", N_("That question has already moved on. Answer the question shown."))
        try:
            chosen = validate(self._conflict_question(snapshot), value, self.lists, today)
        except Invalid as error:
            raise TurnRejected("invalid", error.message, error.params, question_id) from None
        option = next(o for o in rule.options if o.value == chosen)
        if option.change:
            path = self.walk(snapshot)[0]
            change = [self.flow.step_of(q) for q in option.change]  # a field is changed through its group
            held = [q for q in change if q in path] + [q for q in option.change if q in snapshot.answers]
            target = self.flow.step_of((held or change)[0])
            return replace(snapshot, state=target, changing=True, conflict=None)
        moved = replace(snapshot, answers={**snapshot.answers, **option.sets}, changing=True, conflict=None)
        return self._check(self._arrive(replace(moved, state=self.walk(moved)[1])), snapshot.state, today, True)

    @staticmethod
    def _require_open(snapshot: Snapshot) -> None:
        if snapshot.state == SUBMITTED:
            raise TurnRejected("submitted", N_("This referral has already been sent."))


def _same_route(walked: Snapshot | None, snapshot: Snapshot) -> bool:
    """Whether ``snapshot`` has the route of ``walked``: a walk reads only the answers and which variant
    each was given in, and snapshots share those mappings unchanged (they are replaced, never changed)."""
    return walked is not None and walked.answers is snapshot.answers and walked.asked is snapshot.asked


__all__ = ["Engine", "Progress", "Snapshot"]
