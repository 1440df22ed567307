"""One language's catalogue as translators see it: every string, with English, the current
translation and where it is used, grouped as the service uses them (flow sections with their
questions, the person's cards, the interface by page).

Read with Babel, a runtime dependency; each catalogue is parsed once per change of its file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from babel.messages.pofile import read_po
from flask import current_app

from ..engine import Engine
from ..engine.spec import Question
from ..i18n import CARD_CONTROLS, catalogue_headers, scope_of


def key_of(context: str | None, msgid: str) -> str:
    """A string's stable name: its context and English, hashed (short enough for a form and an anchor)."""
    return hashlib.sha256(f"{context or ''}\x04{msgid}".encode()).hexdigest()


@dataclass(frozen=True)
class Text:
    """One string of the catalogue."""

    key: str
    context: str | None
    msgid: str
    plural: str | None  # the English plural, for a plural message
    translation: tuple[str, ...]  # the catalogue's forms; empty strings when untranslated
    fuzzy: bool
    notes: tuple[str, ...]  # what the sources tell translators
    locations: tuple[str, ...]  # file:line
    role: str = ""  # in a question: text, hint, help, option, required, variant; in a card: title, paragraph...

    @property
    def translated(self) -> bool:
        return bool(self.translation) and all(self.translation)


@dataclass
class Item:
    """A question, a card or a page: the strings that belong together, with what can preview them."""

    title: str
    texts: list[Text] = field(default_factory=list)
    question: tuple[str, str] | None = None  # (flow id, question id): previewable as the form shows it
    card: str | None = None  # a card id: previewable as the person sees it


@dataclass
class Group:
    """A page of the workspace: a flow section, the cards, the flow's checks, or an area of the interface."""

    key: str
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def texts(self) -> list[Text]:
        return [text for item in self.items for text in item.texts]


_cache: dict[Path, tuple[float, list[Text]]] = {}
_groups: dict[tuple[str, int], tuple[list[Text], list[Group]]] = {}  # with the texts they were built from
_lock = Lock()


def translations_dir() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def catalogue_codes() -> list[str]:
    """Every language with a catalogue, enabled or not: translators work on drafts too."""
    return sorted(path.parent.parent.name for path in translations_dir().glob("*/LC_MESSAGES/messages.po"))


def cards_only(code: str) -> bool:
    """A card-only language (``X-Enabled: cards``): all it translates is the cards section."""
    return scope_of(catalogue_headers(translations_dir() / code / "LC_MESSAGES" / "messages.po")) == "cards"


def texts(code: str) -> list[Text]:
    """The catalogue's strings in file order (KeyError if there is no catalogue for ``code``)."""
    if code not in catalogue_codes():
        raise KeyError(code)
    path = translations_dir() / code / "LC_MESSAGES" / "messages.po"
    mtime = path.stat().st_mtime
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
    with path.open("rb") as file:
        catalogue = read_po(file, locale=None, ignore_obsolete=True)
    found = []
    for message in catalogue:
        if not message.id:
            continue  # the header
        ids = message.id if isinstance(message.id, tuple | list) else (message.id, None)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string or "",)
        found.append(
            Text(
                key=key_of(message.context, ids[0]),
                context=message.context,
                msgid=ids[0],
                plural=ids[1],
                translation=tuple(s or "" for s in strings),
                fuzzy=message.fuzzy,
                notes=tuple(message.auto_comments),
                locations=tuple(f"{file}:{line}" for file, line in message.locations),
            )
        )
    with _lock:
        _cache[path] = (mtime, found)
    return found


def groups(code: str) -> list[Group]:
    """The workspace's pages for ``code``: each flow's sections in order, its checks, the cards, then
    the interface by area; only the cards for a card-only language. Built once per version of the
    catalogue (flows and cards load at start-up); callers must not change what they get."""
    found = texts(code)
    app_key = (code, id(current_app.extensions["flows"]))  # another app may load other flows
    with _lock:
        cached = _groups.get(app_key)
        if cached and cached[0] is found:
            return cached[1]
    built = _build_groups(found)
    if cards_only(code):
        built = [group for group in built if group.key == "cards"]
    with _lock:
        _groups[app_key] = (found, built)
    return built


def _build_groups(catalogue: list[Text]) -> list[Group]:
    by_context: dict[str | None, list[Text]] = {}
    for text in catalogue:
        by_context.setdefault(text.context, []).append(text)
    registry = current_app.extensions["flows"]
    found: list[Group] = []
    for flow_id in registry.flow_ids:
        engine = registry.current(flow_id)
        if engine is not None:
            found.extend(_flow_groups(engine, by_context))
    found.append(_cards_group(by_context))
    found.extend(_interface_groups(by_context))
    return [group for group in found if group.texts]


def _flow_groups(engine: Engine, by_context: dict[str | None, list[Text]]) -> list[Group]:
    flow = engine.flow
    found = []
    for section in flow.sections:
        group = Group(f"{flow.id}:{section.id}", section.title)
        title = Item(section.title, _roled(by_context.pop(f"{flow.id}:section:{section.id}", []), "section"))
        group.items.append(title)
        for question_id in section.questions:
            question = flow.questions[question_id]
            strings = by_context.pop(f"{flow.id}:{question_id}", [])
            group.items.append(Item(question.text, _in_question_order(question, strings), (flow.id, question_id)))
        found.append(group)
    checks = Group(f"{flow.id}:checks", flow.title)
    checks.items.append(Item(flow.title, _roled(by_context.pop(flow.id, []), "title")))
    for context in [c for c in by_context if c and c.startswith(f"{flow.id}:")]:
        kind = context.split(":")[1]
        checks.items.append(Item(context, _roled(by_context.pop(context), kind)))
    found.append(checks)
    return found


def _roled(strings: list[Text], role: str) -> list[Text]:
    return [_with_role(text, role) for text in strings]


def _with_role(text: Text, role: str) -> Text:
    return Text(**{**text.__dict__, "role": role})


def _in_question_order(question: Question, strings: list[Text]) -> list[Text]:
    """The question, its hint, help, message when left empty and options; then what its variants say."""
    order: list[tuple[str, str]] = [(question.text, "text")]
    order += [(value, role) for value, role in ((question.hint, "hint"), (question.help, "help")) if value]
    if question.required_message:
        order.append((question.required_message, "required"))
    order += [(option.label, "option") for option in question.options]
    by_id = {text.msgid: text for text in strings}
    placed = [_with_role(by_id.pop(msgid), role) for msgid, role in order if msgid in by_id]
    return placed + [_with_role(text, "variant") for text in by_id.values()]


def _cards_group(by_context: dict[str | None, list[Text]]) -> Group:
    cards = current_app.extensions["cards"]
    group = Group("cards", "cards")
    for card_id in cards.ids():
        strings = by_context.pop(f"cards:{card_id}", [])
        roles = ["title"] + ["paragraph"] * (len(strings) - 1)
        placed = [_with_role(text, role) for text, role in zip(strings, roles, strict=False)]
        item = Item(strings[0].msgid if strings else card_id, placed, card=card_id)
        group.items.append(item)
    controls = by_context.pop(CARD_CONTROLS, [])  # the card's own buttons and draft notice, on every card
    if controls:
        group.items.append(Item(CARD_CONTROLS, _roled(controls, "control")))
    return group


def area(location: str) -> str:
    """Where in the service a source file's strings are used: a folder of templates, or a module."""
    path = Path(location.rsplit(":", 1)[0])
    parts = path.with_suffix("").parts
    if "templates" in parts:
        return parts[parts.index("templates") + 1]  # a folder, or a page such as chat
    if "engine" in parts:
        return "answers"
    if "web" in parts:
        return {"labels": "staff", "dates": "staff", "errors": "staff", "staff": "staff"}.get(parts[-1], parts[-1])
    return {"presenter": "chat", "realtime": "chat", "sessions": "auth"}.get(parts[-1], parts[-1])


def _interface_groups(by_context: dict[str | None, list[Text]]) -> list[Group]:
    areas: dict[str, Group] = {}
    for context, strings in by_context.items():
        if context and context.startswith("cards:"):
            continue  # a card no longer in the cards file: nothing to preview it with
        for text in strings:
            where = area(text.locations[0]) if text.locations else "other"
            group = areas.setdefault(where, Group(f"ui:{where}", where, [Item(where)]))
            group.items[0].texts.append(_with_role(text, "interface"))
    return [areas[name] for name in sorted(areas)]
