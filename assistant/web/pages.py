"""The chat page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale

from ..i18n import text_direction

pages = Blueprint("pages", __name__)


@pages.get("/")
def chat() -> str:
    language = str(get_locale())
    return render_template("chat.html", language=language, text_direction=text_direction(language), flow="nrm")


@pages.get("/healthz")
def health() -> tuple[str, int]:
    return "ok", 200
