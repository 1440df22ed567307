"""The same referral without JavaScript: one question per page as plain HTML forms.

It follows the GOV.UK "question pages" and "check answers" patterns and drives the same service
as the chat, so validation, back, change and submit behave the same way. Every change of state is
a POST with a CSRF token, then a redirect (post/redirect/get). The signed session cookie holds only
the conversation's id and resume token.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import conversations
from ..access import current_staff, roles_required
from ..accounts.roles import Role
from ..accounts.sessions import Standing
from ..conversations import Rejected
from ..engine.kinds import KINDS
from ..i18n import languages
from ..lookups import is_named
from . import form_files as files

form = Blueprint("form", __name__, url_prefix="/form")
MAX_MATCHES = 20


@form.before_request
@roles_required(Role.FIRST_RESPONDER)
def _first_responders_only() -> None:
    """Every page of the form is for signed-in first responders."""


def _page(template: str, **context: Any) -> str:
    language = languages()[str(get_locale())]
    return render_template(
        template, language=language.code, text_direction=language.direction, draft=language.draft, **context
    )


def _current() -> dict[str, str] | None:
    current = session.get("form")
    return current if isinstance(current, dict) and {"id", "token"} <= set(current) else None


@form.get("/")
def start_page() -> str | Response:
    if _current():
        return redirect(url_for("form.question", lang=request.args.get("lang")))
    return _page("form/start.html")


@form.post("/start")
def start() -> Response | tuple[str, int]:
    client_msg_id = request.form.get("client_msg_id") or None
    try:
        conversation_id, turn = conversations.start(
            current_app.config["DEFAULT_FLOW"], str(get_locale()), client_msg_id, current_staff()
        )
    except Rejected as rejected:  # another organisation's start: not found, as over the socket
        return _page("form/start.html", error=_(rejected.message, **rejected.params)), 404
    session["form"] = {"id": conversation_id, "token": turn["resume_token"]}
    return redirect(url_for("form.question", lang=request.args.get("lang")))


@form.get("/question")
def question() -> str | Response:
    current = _current()
    if current is None:
        return redirect(url_for("form.start_page"))
    try:
        turn = conversations.resume(current["id"], current["token"], current_staff(), str(get_locale()))
    except Rejected:
        session.pop("form", None)
        return redirect(url_for("form.start_page"))
    return _render(turn)


@form.post("/answer")
def answer() -> str | Response:
    current = _current()
    if current is None:
        return redirect(url_for("form.start_page"))
    question_id = request.form.get("question_id", "")
    kind = request.form.get("kind", "")
    if kind == "upload" and "skip" not in request.form:
        try:
            files.add_chosen(current, question_id)
        except files.Refused as refused:
            return _render(refused.turn, raw=request.form)
    value = None if "skip" in request.form else _value(kind, request.form)
    if kind == "upload" and value is not None:
        value = files.answer(current, question_id)
    turn = _act(current, "answer", question_id=question_id, value=value)
    if not turn.get("ok"):
        return _render(turn, raw=request.form)
    return redirect(url_for("form.question", lang=request.args.get("lang")))


@form.post("/files/add")
def add_file() -> str | Response:
    """Add the chosen file with its description, and come back to the same question."""
    current = _current()
    if current is None:
        return redirect(url_for("form.start_page"))
    try:
        files.add_chosen(current, request.form.get("question_id", ""), required=True)
    except files.Refused as refused:
        return _render(refused.turn, raw=request.form)
    return redirect(url_for("form.question", lang=request.args.get("lang")))


@form.post("/files/remove")
def remove_file() -> Response:
    current = _current()
    if current is not None:
        files.remove(request.form.get("file_id", ""))
    return redirect(url_for("form.question", lang=request.args.get("lang")))


@form.post("/<event>")
def navigate(event: str) -> Response:
    current = _current()
    if current is None or event not in ("back", "change", "submit", "restart"):
        return redirect(url_for("form.start_page"))
    if event == "restart":
        session.pop("form", None)
        return redirect(url_for("form.start_page", lang=request.args.get("lang")))
    payload = {"question_id": request.form.get("question_id", "")} if event == "change" else {}
    _act(current, event, **payload)
    return redirect(url_for("form.question", lang=request.args.get("lang")))


def _act(current: dict[str, str], event: str, **payload: Any) -> dict[str, Any]:
    client_msg_id = request.form.get("client_msg_id") or uuid.uuid4().hex
    try:
        return conversations.act(current["id"], event, payload, client_msg_id[:64], Standing.of(current_staff()))
    except Rejected:  # the conversation is gone (or expired): start again
        session.pop("form", None)
        return {"ok": True}


class _Prefixed:
    """One field of a group's page: its inputs are named "<field id>:<part>"."""

    def __init__(self, data: Any, field_id: str) -> None:
        self.data, self.prefix = data, field_id + ":"

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(self.prefix + name, default)

    def getlist(self, name: str) -> list[str]:
        return list(self.data.getlist(self.prefix + name))

    def __contains__(self, name: str) -> bool:
        return self.prefix + name in self.data


def _value(kind: str, data: Any) -> Any:
    """The answer, shaped as the protocol takes it, from the form's fields."""
    if kind == "group":  # each field's answer under its id, read as that field's kind
        fields = (entry.partition(":") for entry in data.getlist("field"))
        return {fid: _value(field_kind, _Prefixed(data, fid)) for fid, _, field_kind in fields if fid}
    if kind == "multichoice":
        return data.getlist("value")
    if kind == "date":
        return {part: data.get(part, "") for part in ("day", "month", "year")}
    as_written = "not_listed" in data  # the worker says the place is not on the list: keep the text
    if kind == "lookup":
        return _resolve(data.get("list", ""), data.get("value_text", ""), data.get("value"), as_written)
    if kind == "lookup-repeat":
        texts = [t for t in data.getlist("value_text") if t.strip()]
        return [_resolve(data.get("list", ""), text, None, as_written) for text in texts]
    if kind == "info":
        return "seen"
    return data.get("value", "")


def _resolve(list_name: str, text: str, chosen: str | None, as_written: bool = False) -> str | dict[str, str]:
    """A long list's value from a choice among matches, or from what was typed (the whole of an entry's
    label or of another name it is known by, or the only match). Anything else goes to the engine as
    typed, which rejects it with a clear message.
    A near miss is never taken alone: the text may be a place that is not on the list.
    ``as_written``: "not on the list" was ticked, so the text is kept as typed unless it is exactly an
    entry's name (the engine refuses it where the question does not allow it)."""
    if chosen:
        return chosen
    matches = conversations.lookups().search(list_name, text, str(get_locale()), near_misses=False)
    exact = [m for m in matches if is_named(m, text)]
    if len(exact) == 1 or (len(matches) == 1 and not as_written):
        return (exact or matches)[0].value
    return {"free_text": text} if as_written else text


def _render(turn: dict[str, Any], raw: Any = None) -> str:
    if "submitted" in turn:
        session.pop("form", None)
        return _page("form/receipt.html", turn=turn)
    if "review" in turn:
        return _page("form/review.html", turn=turn, client_msg_id=uuid.uuid4().hex)
    prompt = turn["prompt"]
    if raw is not None:
        selected = set(raw.getlist("value"))
    else:
        previous = prompt.get("previous")
        values = previous if isinstance(previous, list) else [previous]
        selected = {v for v in values if isinstance(v, str)}  # a name typed as written is no option
    matches = []
    if raw is not None and prompt.get("lookup") and not prompt.get("repeat"):
        matches = conversations.lookups().search(prompt["lookup"], raw.get("value_text", ""), str(get_locale()))
    added = files.listed(turn["conversation_id"], prompt) if prompt["kind"] == "upload" else []
    field_matches = {  # a group's long-list fields: what was typed matches, to choose from
        f["field_id"]: conversations.lookups().search(f["lookup"], text, str(get_locale()))[:MAX_MATCHES]
        for f in prompt.get("fields") or []
        if raw is not None
        and f.get("lookup")
        and not f.get("repeat")
        and (text := raw.get(f["field_id"] + ":value_text", "")).strip()
    }
    return _page(
        "form/question.html",
        files=added,
        turn=turn,
        prompt=prompt,
        control=KINDS[prompt["kind"]].control_for(prompt),
        raw=raw,
        matches=matches[:MAX_MATCHES],
        field_matches=field_matches,
        selected=selected,
        client_msg_id=uuid.uuid4().hex,
    )
