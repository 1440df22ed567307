"""The chat page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale

from ..i18n import languages

pages = Blueprint("pages", __name__)


@pages.get("/")
def chat() -> str:
    language = languages()[str(get_locale())]
    return render_template(
        "chat.html",
        language=language.code,
        text_direction=language.direction,
        draft=language.draft,
        languages=[lang.as_json() for lang in languages().values()],
        flow="nrm",
    )


@pages.get("/healthz")
def health() -> tuple[str, int]:
    return "ok", 200
