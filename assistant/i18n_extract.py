"""Babel extractor for flow files: every translatable string with its context and translator notes.

Registered in pyproject.toml as ``assistant.i18n_extract:extract_flow``. Each question's strings get
the context ``<flow>:<question id>`` (section titles ``<flow>:section:<id>``, contradiction rules
``<flow>:conflict:<id>``, quality checks ``<flow>:quality:<check>``, the victim's cards
``cards:<card id>``), matching what the presenter looks up, so translators see where a string sits
and identical English can diverge.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

from .engine.lined_yaml import Lined, LineLoader

_TRANSLATABLE = ("text", "hint", "help", "required_message", "same_message")


def extract_flow(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    data = yaml.load(fileobj.read().decode("utf-8"), Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    if "cards" in data:
        yield from _cards(data["cards"])
        return
    flow = data["flow"]
    yield data.line, "pgettext", (flow, data["title"]), ["The flow's title."]
    for section in data.get("sections", []):
        yield section.line, "pgettext", (f"{flow}:section:{section['id']}", section["title"]), ["A section title."]
        for question in section.get("questions", []):
            context = f"{flow}:{question['id']}"
            yield from _question(question, context, question)
            for variant in question.get("variants", []):
                yield from _question(variant, context, question)
            for field in question.get("fields", []):  # a group's fields: each in its own context
                field_context = f"{flow}:{field['id']}"
                yield from _question(field, field_context, field)
                for variant in field.get("variants", []):
                    yield from _question(variant, field_context, field)
    for rule in data.get("conflicts", []):
        yield from _conflict(rule, f"{flow}:conflict:{rule['id']}")
    for check in data.get("quality", []):
        notes = [check["comment"]] if check.get("comment") else []
        note = "Listed on the review before it is sent: says what would make the answer more useful."
        yield check.line, "pgettext", (f"{flow}:quality:{check['check']}", check["message"]), [*notes, note]


def _conflict(rule: Lined, context: str) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    notes = [rule["comment"]] if rule.get("comment") else []
    note = "Asked when two answers contradict each other: say plainly what conflicts."
    yield rule.line, "pgettext", (context, rule["message"]), [*notes, note]
    if isinstance(rule.get("hint"), str):
        yield rule.line, "pgettext", (context, rule["hint"]), notes
    for option in rule.get("options") or []:
        label = str(option["label"])
        yield getattr(option, "line", rule.line), "pgettext", (context, label), [*notes, "A way to resolve it."]


def _question(node: Lined, context: str, question: Lined) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    notes = [question["comment"]] if question.get("comment") else []
    for key in _TRANSLATABLE:
        if isinstance(node.get(key), str):
            limit = [f"The {key} of a {node.get('kind', question.get('kind'))} question."]
            yield node.line, "pgettext", (context, node[key]), notes + limit
    for option in node.get("options") or []:
        yield (
            getattr(option, "line", node.line),
            "pgettext",
            (context, str(option["label"])),
            [
                *notes,
                f"An answer button (value {option['value']}): keep it short.",
            ],
        )


def _cards(cards: list[Lined]) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    note = "Read to, or by, a potential victim of modern slavery: plain, calm words; address them as 'you'."
    for card in cards:
        context = f"cards:{card['id']}"
        yield card.line, "pgettext", (context, card["title"]), [note, "A card title."]
        for paragraph in card["paragraphs"]:
            yield card.line, "pgettext", (context, paragraph), [note]
        for contact in card.get("contacts", []):
            yield contact.line, "pgettext", (context, contact["name"]), ["The name of a helpline or service."]
