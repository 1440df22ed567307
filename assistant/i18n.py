"""Languages: which are offered, and which one a request is served in."""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from flask import current_app, request


def available_languages(translations_dir: str) -> list[str]:
    """English plus every language with a catalogue in translations/."""
    found = {p.parent.parent.name for p in Path(translations_dir).glob("*/LC_MESSAGES/messages.po")}
    return ["en", *sorted(found - {"en"})]


def normalise(language: object) -> str | None:
    """The offered language that ``language`` names, or None."""
    if not isinstance(language, str):
        return None
    offered = current_app.config["LANGUAGES"]
    wanted = language.replace("-", "_")
    if wanted in offered:
        return wanted
    base = wanted.split("_")[0]
    return base if base in offered else None


def select_locale() -> str:
    """Flask-Babel's locale selector: an explicit ?lang=, then the browser's preference."""
    explicit = normalise(request.args.get("lang")) if request else None
    if explicit:
        return explicit
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def text_direction(language: str) -> str:
    return Locale.parse(language).text_direction
