"""Renders engine state as protocol payloads (docs/protocol.md), translated into a language."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import phonenumbers
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations
from flask_babel import force_locale, get_translations, ngettext
from flask_babel import gettext as _

from .engine import REVIEW, SUBMITTED, Engine, Question, Snapshot, TurnRejected
from .engine.kinds import KINDS, upload
from .engine.kinds.select import free_text_of
from .i18n import formatting_locale
from .lookups import Lookups


class Presenter:
    def __init__(self, engine: Engine, lookups: Lookups, language: str) -> None:
        self.engine = engine
        self.flow = engine.flow
        self.lookups = lookups
        self.language = language

    @cached_property
    def _catalogue(self) -> NullTranslations:
        """The language's catalogue, looked up once: a review translates a few hundred flow strings, and
        Flask-Babel finds the catalogue again for each (a fifth of the review's time)."""
        with force_locale(self.language):
            catalogue: NullTranslations = get_translations()
        return catalogue

    def _flow_text(self, context: str, text: str, **params: Any) -> str:
        """A flow string (a question's, section's, option's or check's) in this presenter's language, with
        ``params`` put in, as pgettext would; its context says whose it is. Extracted by the flow extractor,
        so called by no name Babel looks for."""
        translated: str = self._catalogue.upgettext(context, text)
        return translated % params if params else translated

    def turn(
        self,
        conversation_id: str,
        snapshot: Snapshot,
        receipt: dict[str, Any] | None = None,
        error: TurnRejected | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        with force_locale(self.language):
            payload: dict[str, Any] = {
                "ok": error is None,
                "conversation_id": conversation_id,
                "language": self.language,
                **extra,
            }
            if snapshot.state == SUBMITTED:
                payload["submitted"] = receipt
            elif snapshot.state == REVIEW:
                payload["review"] = self.review(snapshot)
            else:
                payload["prompt"] = self.prompt(snapshot)
            progress = self.engine.progress(snapshot)
            if snapshot.state == REVIEW:
                title = _("Check your answers")
            elif snapshot.state == SUBMITTED:
                title = _("Sent")
            else:
                section = self.flow.sections[progress.section - 1]
                title = self.section_title(section.id, section.title)
            payload["progress"] = {"section": progress.section, "sections": progress.sections, "title": title}
            if error is not None:
                payload["error"] = self.error(error)
            return payload

    def section_title(self, section_id: str, title: str) -> str:
        return self._flow_text(f"{self.flow.id}:section:{section_id}", title)

    def prompt(self, snapshot: Snapshot) -> dict[str, Any]:
        question = self.engine.question(snapshot)
        prompt: dict[str, Any] = {
            "question_id": question.id,
            **self._describe(question, self.engine.previous(snapshot)),
        }
        if question.fields:  # a group: each field described as a question of its own (docs/protocol.md)
            given = prompt.pop("previous", None) or {}
            prompt["fields"] = [{"field_id": f.id, **self._describe(f, given.get(f.id))} for f in question.fields]
        return prompt

    def _describe(self, question: Question, previous: Any) -> dict[str, Any]:
        text = self._text(question)
        prompt: dict[str, Any] = {"kind": question.kind, "text": text(question.text)}
        if question.hint:
            prompt["hint"] = text(question.hint)
        if question.help:
            prompt["help"] = text(question.help)
        if question.card:
            prompt["card"] = question.card
        if question.options:
            prompt["options"] = [{"value": o.value, "label": text(o.label)} for o in question.options]
        if question.lookup:
            prompt["lookup"] = question.lookup
        if question.repeat:
            prompt["repeat"] = question.repeat
        if question.free_text:
            prompt["free_text"] = True
        prompt["required"] = question.required
        if question.max_length:
            prompt["max_length"] = question.max_length
        if question.no_urls:
            prompt["no_urls"] = True
        described = KINDS[question.kind].input()
        if described is not None:
            prompt["input"] = described
        if question.kind == "upload":
            prompt["upload"] = upload_limits()
        if question.kind == "number":
            prompt["min"] = question.min if question.min is not None else 0
            if question.max is not None:
                prompt["max"] = question.max
        if question.when is not None:
            prompt["when"] = {"field": question.when[0], "values": list(question.when[1])}
        if previous is not None:
            prompt["previous"] = previous
            if question.lookup:  # the labels of a long list's values, which the client cannot know
                values = previous if isinstance(previous, list) else [previous]
                prompt["previous_options"] = [{"value": v, "label": self.list_label(question, v)} for v in values]
        return prompt

    def review(self, snapshot: Snapshot) -> dict[str, Any]:
        return {
            "sections": [
                {
                    "title": self.section_title(section.id, section.title),
                    "items": [self.item(snapshot, qid) for qid in qids],
                    "count": ngettext("%(num)d answer", "%(num)d answers", len(qids)),
                }
                for section, qids in self.engine.review(snapshot)
            ],
            "weaknesses": [
                {
                    "check": weakness.check,
                    "question_id": weakness.question_id,
                    "question": self.item(snapshot, weakness.question_id)["question"],
                    "message": self._flow_text(
                        f"{self.flow.id}:quality:{weakness.check}", weakness.message, **weakness.params
                    ),
                }
                for weakness in self.engine.weaknesses(snapshot)
            ],
            "kind": self.flow.kind_of(snapshot.answers),
        }

    def transcript(self, snapshot: Snapshot) -> list[dict[str, Any]]:
        with force_locale(self.language):
            return [self.item(snapshot, qid) for qid in self.engine.path(snapshot)]

    def item(self, snapshot: Snapshot, question_id: str) -> dict[str, Any]:
        """One answer: a question's, or a field's (a review row of its own, changed through its group)."""
        step = self.engine.flow.step_of(question_id)
        question = self.engine.question(snapshot, step)
        if step != question_id:
            question = next(f for f in question.fields if f.id == question_id)
        elif question.fields:  # a group in the transcript: its fields' answers in one line
            answer = "; ".join(
                f"{self._text(f)(f.text)} {self.answer_text(f, snapshot.answers.get(f.id))}"
                for f in self.engine.flow.questions[step].resolved(snapshot.answers).fields
                if f.id in self.engine.answer_ids(snapshot, step)
            )
            return {"question_id": question_id, "question": self._text(question)(question.text), "answer": answer}
        return {
            "question_id": question_id,
            "question": self._text(question)(question.text),
            "answer": self.answer_text(question, snapshot.answers.get(question_id)),
        }

    def answer_text(self, question: Question, value: Any) -> str:
        """How an answer reads in the review and the transcript."""
        if value is None or value == []:
            return _("Not answered")
        if question.kind == "info":
            return _("Read and understood")
        if question.kind == "upload":
            return "; ".join(f"{n}. {f['description']}" for n, f in enumerate(value, start=1))
        if question.kind == "date":
            return format_date(dt.date.fromisoformat(value), format="long", locale=formatting_locale(self.language))
        if question.kind == "number":
            return format_decimal(value, locale=formatting_locale(self.language))
        if question.kind == "phone":
            number = phonenumbers.parse(value)
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        values: list[str] = value if isinstance(value, list) else [value]
        if question.kind in ("choice", "multichoice") or (question.kind == "select" and question.options):
            text = self._text(question)
            labels = {o.value: o.label for o in question.options}
            return ", ".join(text(labels[v]) if v in labels else v for v in values)
        if question.kind == "select" and question.lookup:
            return "; ".join(self.list_label(question, v, flagged=True) for v in values)
        return str(value)

    def list_label(self, question: Question, value: Any, flagged: bool = False) -> str:
        """A long list's entry by name; a name typed as written as it was typed (``flagged``: marked
        as not on the list, for whoever reads the answers)."""
        typed = free_text_of(value)
        if typed is None:
            return self.lookups.label(question.lookup or "", value, self.language)
        return _("%(name)s (not on the list)", name=typed) if flagged else typed

    def error(self, rejected: TurnRejected) -> dict[str, Any]:
        if rejected.context is not None and isinstance(rejected.message, str):
            message = self._flow_text(rejected.context, rejected.message)
        elif isinstance(rejected.message, tuple):
            message = ngettext(*rejected.message, **rejected.params)
        else:
            message = _(rejected.message, **rejected.params)
        error: dict[str, Any] = {"code": rejected.code, "message": message}
        if rejected.question_id:
            error["question_id"] = rejected.question_id
        if rejected.fields:  # a group: each field's own message, in field order
            error["fields"] = [
                {"field_id": field.question_id, "message": self.error(field)["message"]} for field in rejected.fields
            ]
        return error

    def _text(self, question: Question) -> Any:
        context = f"{self.flow.id}:{question.id}"
        return lambda source: self._flow_text(context, source)


def upload_limits() -> dict[str, Any]:
    """What an upload question takes (docs/protocol.md, "Evidence uploads")."""
    return {
        "accept": ",".join([*(f".{e}" for e in upload.ALLOWED_TYPES), *upload.ALLOWED_TYPES.values()]),
        "max_bytes": upload.MAX_BYTES,
        "max_files": upload.MAX_FILES,
        "description_length": upload.DESCRIPTION_LENGTH,
    }


def receipt(kind: str, reference: str, language: str) -> dict[str, Any]:
    with force_locale(language):
        if kind == "dtn":
            message = _(
                "The Duty to Notify report has been sent. The Home Office will share it with the police. "
                "Keep the reference %(reference)s for your records.",
                reference=reference,
            )
        else:
            message = _(
                "The referral has been sent to the National Referral Mechanism. Keep the reference "
                "%(reference)s. A reasonable grounds decision is usually made within 5 working days. "
                "If the person needs support urgently, contact the support provider now.",
                reference=reference,
            )
        return {"reference": reference, "kind": kind, "message": message}
