"""Languages: which are offered, how each is shown, and which one a request is served in.

English is the source language. Another language is offered when its catalogue
(translations/<code>/LC_MESSAGES/messages.po) says ``X-Enabled: yes``; one that says ``X-Enabled: cards``
is offered only for the cards shown to the person (their strings and the card's own controls). Its
``X-Review-Cards``, ``X-Review-Flow``, ``X-Review-Interface`` and ``X-Review-Staff`` headers say honestly how
far a qualified translator has taken each section (``X-Review-Status`` for any not given): ``draft``
(machine-assisted or unchecked: shown with a notice), ``complete`` (translated in full by a qualified
translator) or ``reviewed`` (then checked by a second).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request

# Names people look for, where CLDR's differs (Dari is CLDR's "Persian (Afghanistan)").
NATIVE_NAMES = {"fa_AF": "دری", "zh_Hans": "简体中文", "ckb": "کوردی (سۆرانی)", "ku": "Kurdî (Kurmancî)"}
ENGLISH_NAMES = {
    "fa_AF": "Dari",
    "ckb": "Kurdish (Sorani)",
    "ku": "Kurdish (Kurmanji)",
    "bn": "Bengali",
    "zh_Hans": "Chinese (Simplified)",
    "fa": "Farsi",
}
# The parts of a catalogue (assistant/i18n_tools.py: section_of) and how far each has been checked.
SECTIONS = ("cards", "flow", "interface", "staff")
STATUSES = ("draft", "complete", "reviewed")
# What a catalogue's X-Enabled header can say: offered for everything, for the cards only, or not yet.
SCOPES = ("yes", "cards", "no")
# The context of the card's own controls and draft notice, so that they count in the cards section.
CARD_CONTROLS = "card-controls"
_HEADER = re.compile(r'^"(X-Enabled|X-Review-\w+): *([^\\"]*)', re.MULTILINE)


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    english_name: str
    direction: str  # "ltr" or "rtl"
    draft: bool  # the chat and the form (the flow or the interface) are a draft
    cards_only: bool = False  # offered for the cards shown to the person, nothing else
    review: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # section -> status

    def draft_in(self, section: str) -> bool:
        return self.review.get(section, "draft" if self.draft else "reviewed") == "draft"

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "english_name": self.english_name,
            "dir": self.direction,
            "draft": self.draft,
        }


def review_header(section: str) -> str:
    return f"X-Review-{section.title()}"


def review_status(headers: dict[str, str]) -> dict[str, str]:
    """Each section's status: its own header, else ``X-Review-Status``; anything unknown is a draft."""
    default = headers.get("X-Review-Status", "draft").lower()
    said = {section: headers.get(review_header(section), default).lower() for section in SECTIONS}
    return {section: status if status in STATUSES else "draft" for section, status in said.items()}


def is_card_string(context: str | None) -> bool:
    """A string of the cards section: a card's own (``cards:<id>``), or the card's controls."""
    return context is not None and (context == CARD_CONTROLS or context.startswith("cards:"))


def describe(code: str, draft: bool, review: dict[str, str] | None = None, cards_only: bool = False) -> Language:
    locale = Locale.parse(code)
    name = NATIVE_NAMES.get(code) or locale.get_display_name(code) or code
    english = ENGLISH_NAMES.get(code, locale.english_name or code)
    return Language(code, name, english, locale.text_direction, draft, cards_only, review or {})


def scope_of(headers: dict[str, str]) -> str:
    """What a catalogue is offered for (``yes``, ``cards`` or ``no``): anything unknown is not offered."""
    said = headers.get("X-Enabled", "no").strip().lower()
    return said if said in SCOPES else "no"


def catalogue_headers(po_file: Path) -> dict[str, str]:
    head = po_file.read_text(encoding="utf-8")[:4000]
    return {key: value.strip() for key, value in _HEADER.findall(head)}


def offered_languages(translations_dir: str, cards: bool = False) -> dict[str, Language]:
    """English plus every enabled catalogue, keyed by code; with ``cards``, the card-only languages too."""
    offered = {"en": describe("en", draft=False, review=dict.fromkeys(SECTIONS, "reviewed"))}
    for po_file in sorted(Path(translations_dir).glob("*/LC_MESSAGES/messages.po")):
        headers = catalogue_headers(po_file)
        scope = scope_of(headers)
        if scope == "yes" or (cards and scope == "cards"):
            code = po_file.parent.parent.name
            review = review_status(headers)
            draft = scope == "cards" or "draft" in (review["flow"], review["interface"])
            offered[code] = describe(code, draft=draft, review=review, cards_only=scope == "cards")
    return offered


def missing_strings(
    codes: Iterable[str], directory: Path, cards_only: bool = False
) -> dict[str, list[tuple[str | None, str]]]:
    """For each language, the template's (context, msgid) pairs its compiled catalogue (the .mo the
    service reads) does not translate; with ``cards_only``, only those of the cards section. Compiling
    leaves fuzzy and empty translations out, and fills a plural's empty forms with the English: a plural
    counts only if no form is the English one.

    Read with Babel, a runtime dependency, because the start-up check runs in production too; from the
    .mo files, which read in a fifth of the time of the .po files (a second at every start before)."""
    template = [_key(message) for message in _messages(directory / "messages.pot")]  # read once for all
    if cards_only:
        template = [key for key in template if is_card_string(key[0])]
    missing = {}
    for code in codes:
        compiled = directory / code / "LC_MESSAGES" / "messages.mo"
        done = _translated(compiled) if compiled.exists() else set()
        missing[code] = [key for key in template if key not in done]
    return missing


def _messages(path: Path) -> list[Message]:
    with path.open("rb") as file:
        return [message for message in read_po(file, ignore_obsolete=True) if message.id]  # not the header


def _translated(compiled: Path) -> set[tuple[str | None, str]]:
    with compiled.open("rb") as file:
        return {_key(m) for m in read_mo(file) if m.id and not _english_filled(m)}


def _english_filled(message: Message) -> bool:
    if isinstance(message.id, str):
        return False
    singular, plural = message.id[0], message.id[1]
    return any(form == (singular if index == 0 else plural) for index, form in enumerate(_strings(message)))


def _key(message: Message) -> tuple[str | None, str]:
    # a plural message's id is the (singular, plural) pair
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, tuple | list):
        return tuple(message.string)
    return (message.string or "",)


def languages() -> dict[str, Language]:
    """The languages offered for everything: the pages, the chat, the form and the cards."""
    return current_app.extensions["languages"]


def card_languages() -> dict[str, Language]:
    """The languages a card can be shown in: those of languages(), and the card-only ones, English first."""
    full, only = languages(), current_app.extensions["card_only_languages"]
    return {"en": full["en"], **{code: full.get(code) or only[code] for code in sorted({*full, *only} - {"en"})}}


def normalise(language: object, offered: Mapping[str, Language] | None = None) -> str | None:
    """The offered language that ``language`` names (``ar``, ``zh-Hans``, ``fa_AF``), or None; among
    ``offered`` when given (card_languages() for a card), else among languages()."""
    if not isinstance(language, str) or len(language) > 20:
        return None
    offered = languages() if offered is None else offered
    wanted = language.replace("-", "_")
    for candidate in (wanted, wanted.split("_")[0]):
        match = next((code for code in offered if code.lower() == candidate.lower()), None)
        if match:
            return match
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector: an explicit ?lang=, then the browser's preference, then English."""
    if not has_request_context():
        return "en"
    explicit = normalise(request.args.get("lang"))
    if explicit:
        return explicit
    return request.accept_languages.best_match(list(languages()), default="en") or "en"


def text_direction(language: str) -> str:
    return Locale.parse(language).text_direction


def formatting_locale(language: str) -> str:
    """The locale for dates and numbers: our English is British English."""
    return "en_GB" if language == "en" else language
