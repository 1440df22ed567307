"""The chat page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..access import current_staff, home_url, may_work_on, roles_required, signed_in_user
from ..accounts.roles import Role
from ..extensions import compress, db
from ..i18n import card_languages, languages
from ..page_conversation import open_for_page
from ..presenter import Presenter
from ..storage import store
from ..tokens import resume_token

pages = Blueprint("pages", __name__)


@pages.record_once
def _read_stylesheet(state: BlueprintSetupState) -> None:
    """The chat page carries its stylesheet inline, so that nothing blocks its first paint: read once, at start-up."""
    app = state.app
    stylesheet = (Path(app.static_folder or "static") / "chat.css").read_text(encoding="utf-8")
    app.extensions["chat_css"] = Markup(stylesheet)  # noqa: S704 -- the project's own file, not input
    app.extensions["first_turns"] = {}


@pages.get("/")
@compress.compressed()
def chat() -> str | Response:
    user = signed_in_user()
    if user is not None and user.role != Role.FIRST_RESPONDER:
        return redirect(home_url(user))
    return _chat()


@roles_required(Role.FIRST_RESPONDER)
def _chat() -> str:
    language = languages()[str(get_locale())]
    carry_on = _carry_on(request.args.get("conversation", ""))
    first = None if carry_on else _first_turn(language.code)
    if first is not None:  # the referral is opened now: the socket resumes it, no `start` round trip
        opened = open_for_page(current_staff(), language.code)
        first = {**first, **opened} if opened else first
    return _page(language.code, carry_on, first)


@pages.get("/chat/labels")
@compress.compressed()
@roles_required(Role.FIRST_RESPONDER)
def chat_labels() -> str:
    """The chat page's words in another language (`?lang=`), without a referral: when the worker switches
    language, the script takes the page's strings and labels from it and redraws the question in place,
    so that nothing typed is lost and nothing typed has to be kept anywhere."""
    return _page(str(get_locale()), None, None, labels_only=True)


def _page(code: str, carry_on: dict[str, str] | None, first: dict[str, Any] | None, labels_only: bool = False) -> str:
    language = languages()[code]
    return render_template(
        "chat.html",
        language=language.code,
        text_direction=language.direction,
        draft=language.draft,
        languages=[lang.as_json() for lang in languages().values()],
        card_languages=card_languages().values(),  # the person's picker: the card-only languages too
        flow=current_app.config["DEFAULT_FLOW"],
        carry_on=carry_on,
        first=first,
        first_input=_input_attributes(first["prompt"]) if first else None,
        chat_css=current_app.extensions["chat_css"],
        labels_only=labels_only,
    )


def _first_turn(language: str) -> dict[str, Any] | None:
    """The first question of a new referral, as the `start` event's turn gives it (translated), or None
    when it is not answered in one line of text (the only control the page draws). The same for every new
    referral: made once per language."""
    engine = current_app.extensions["flows"].current(current_app.config["DEFAULT_FLOW"])
    if engine is None:
        return None
    cache: dict[tuple[str, str], dict[str, Any] | None] = current_app.extensions["first_turns"]
    key = (engine.flow.digest, language)
    if key not in cache:
        turn = Presenter(engine, current_app.extensions["lookups"], language).turn("", engine.start())
        prompt = turn.get("prompt")
        drawn = prompt is not None and "input" in prompt and "previous" not in prompt
        cache[key] = {"prompt": prompt, "progress": turn["progress"]} if drawn else None
    return cache[key]


def _input_attributes(prompt: dict[str, Any]) -> dict[str, str]:
    """The text box of a one-line answer, as the chat's script draws it from the prompt's `input`."""
    described = prompt["input"]
    attributes = {
        "id": "answer",
        "class": f"input w-{described['width']}" if "width" in described else "input",
        "autocomplete": "off",
        "data-describe": "",
        "type": "text",
        "dir": "auto",
        **described["attributes"],
    }
    if prompt.get("hint"):  # as the script's describe() sets it while no error is shown
        attributes["aria-describedby"] = "q-hint"
    return attributes


def _carry_on(conversation_id: str) -> dict[str, str] | None:
    """A draft picked from "My referrals": the page resumes it instead of what the browser kept.

    Its id may sit in the address (it says nothing about the person); the resume token goes only
    into the page."""
    if not conversation_id or len(conversation_id) > 64:
        return None
    conversation = store.get_conversation(db.session, conversation_id)
    if conversation is None or conversation.status != "draft" or not may_work_on(signed_in_user(), conversation):
        return None
    token = resume_token(current_app.secret_key or "", conversation.id)
    return {"conversation_id": conversation.id, "resume_token": token}


@pages.get("/healthz")
def health() -> tuple[str, int]:
    return "ok", 200
