"""The Socket.IO transport (docs/protocol.md): parse, check access, call the service, return the ack."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import current_app, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from . import conversations
from .accounts.roles import Role
from .accounts.sessions import Standing, session_expired
from .conversations import Rejected, SignedOut
from .engine.validators import N_, is_storable
from .event_rate import EventRate
from .extensions import socketio
from .i18n import card_languages, languages, normalise
from .lean_turns import Told, lean, remember_whole

log = logging.getLogger(__name__)
CLOSE_AFTER_SECONDS = 1.0  # after a signed_out acknowledgement
Handler = Callable[..., dict[str, Any]]
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _failure(code: str, message: str, **params: Any) -> dict[str, Any]:
    """An error about the message, in the connection's language (its conversation's, else the browser's)."""
    link = _links.get(_sid())
    with force_locale((link.told.get("language") if link else None) or str(get_locale())):
        return {"ok": False, "error": {"code": code, "message": _(message, **params)}}


@dataclass(slots=True)
class Link:
    """What this process keeps of one of its connections: its user as the handshake found them, checked
    again at each event (Standing.holds), and what it has been told (lean_turns). Kept here, not in the
    connection's session, so that nothing else of the session needs a copy per connection."""

    standing: Standing
    told: Told = field(default_factory=dict)


_links: dict[str, Link] = {}  # by Socket.IO session id


def _sid() -> str:
    sid: str = request.sid  # type: ignore[attr-defined]  # set by Flask-SocketIO; Flask's Request does not declare it
    return sid


def _memory() -> Told:
    return _links[_sid()].told  # every event has passed _may_refer, so its connection has a link


def _whole(ack: dict[str, Any]) -> dict[str, Any]:
    """A whole turn (start, resume, language): what this connection has now been told."""
    return remember_whole(ack, _memory())


def _bad_request() -> dict[str, Any]:
    return _failure("bad_request", N_("The message was not understood."))


def _text(data: dict[str, Any], key: str, required: bool = True, limit: int = 100) -> str | None:
    """A name or id from the payload: a short string that a database can hold (no lone surrogate, no
    control character such as NUL, which PostgreSQL refuses)."""
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError(key)
    if not is_storable(value) or _CONTROL.search(value):
        raise ValueError(key)
    return value


def _signed_out() -> dict[str, Any]:
    """The user's session has ended (signed out, timed out, disabled): say so, then close this
    connection, once the acknowledgement has had time to leave (closing first would drop it)."""
    socketio.start_background_task(_close_later, _sid())
    return _failure("signed_out", N_("You have been signed out. Sign in again to carry on."))


def _close_later(sid: str) -> None:
    socketio.sleep(CLOSE_AFTER_SECONDS)
    socketio.server.disconnect(sid, namespace="/")


def event(handler: Handler) -> Handler:
    """Check the user is still signed in, rate-limit, check the payload is one object, and turn
    expected failures into error acks."""
    return _checked(handler, read_standing=True)


def turn(handler: Handler) -> Handler:
    """An event applied to a conversation (conversations.act): checked as ``event`` is, except that
    the service reads the account's standing in the same transaction as the conversation."""
    return _checked(handler, read_standing=False)


def _checked(handler: Handler, read_standing: bool) -> Handler:
    @wraps(handler)
    def wrapper(self: AssistantNamespace, *args: Any) -> dict[str, Any]:
        if not _may_refer(read_standing) or session_expired(browser=False):
            return _signed_out()
        if not self.allow(_sid()):
            return _failure("rate_limited", N_("Too many messages. Wait a moment and try again."))
        if len(args) != 1 or not isinstance(args[0], dict):  # exactly one argument, an object
            return _bad_request()
        try:
            return handler(self, args[0])
        except ValueError:
            return _bad_request()
        except SignedOut:
            return _signed_out()
        except Rejected as rejected:
            return _failure(rejected.code, rejected.message, **rejected.params)

    return wrapper


def _may_refer(read_standing: bool) -> bool:
    """The connection's user is a first responder, and (read again now, unless the handler's service
    reads it) still signed in as one of the same organisation."""
    link = _links.get(_sid())
    if link is None or link.standing.role != Role.FIRST_RESPONDER:
        return False
    return not read_standing or link.standing.holds()


class AssistantNamespace(Namespace):
    """Only a signed-in first responder connects; the service checks each conversation is their
    organisation's."""

    def __init__(self, namespace: str = "/") -> None:
        super().__init__(namespace)
        self._rate: EventRate | None = None

    def allow(self, sid: str) -> bool:
        if self._rate is None:  # the app's configuration is readable from the first event on
            self._rate = EventRate(current_app.config["EVENTS_PER_MINUTE"])
        return self._rate.allow(sid)

    def on_connect(self, auth: Any = None) -> None:
        user = current_user.user if current_user.is_authenticated else None
        if user is None or user.role != Role.FIRST_RESPONDER or session_expired():
            raise ConnectionRefusedError("sign_in_required", {"code": "sign_in_required"})
        _links[_sid()] = Link(Standing.of(user))
        join_room(f"user:{user.id}")  # so that signing out can end this connection

    def on_disconnect(self, reason: Any = None) -> None:
        _links.pop(_sid(), None)
        if self._rate is not None:
            self._rate.forget(_sid())

    @event
    def on_start(self, data: dict[str, Any]) -> dict[str, Any]:
        flow = _text(data, "flow")
        language = normalise(data.get("language") or "en")  # optional: null is the default too
        if language is None:
            return _failure("unsupported_language", N_("That language is not offered."))
        _conversation_id, ack = conversations.start(
            flow or "", language, _text(data, "client_msg_id", False, 64), current_user.user
        )
        return _whole(ack)

    def trigger_event(self, event: str, *args: Any) -> Any:
        """An event the protocol does not have gets bad_request, not silence."""
        if event not in ("connect", "disconnect") and not hasattr(self, f"on_{event}"):
            # answered inside the event's request context, as the namespace answers known events
            return self.socketio._handle_event(lambda *_args: _bad_request(), event, self.namespace, *args)
        return super().trigger_event(event, *args)

    @event
    def on_resume(self, data: dict[str, Any]) -> dict[str, Any]:
        conversation_id = _text(data, "conversation_id", limit=64) or ""
        _text(data, "resume_token", limit=200)  # present and a string: a wrong one is not_found
        language = None
        if data.get("language") is not None:
            language = normalise(data["language"])
            if language is None:  # the token is checked first: a wrong one learns nothing more
                conversations.resume(conversation_id, data.get("resume_token"), current_user.user)
                return _failure("unsupported_language", N_("That language is not offered."))
        ack = conversations.resume(conversation_id, data.get("resume_token"), current_user.user, language)
        return _whole(ack)

    @event
    def on_language(self, data: dict[str, Any]) -> dict[str, Any]:
        conversation_id = _text(data, "conversation_id", limit=64) or ""
        language = normalise(data.get("language"))
        if language is None:
            return _failure("unsupported_language", N_("That language is not offered."))
        return _whole(conversations.set_language(conversation_id, language, current_user.user))

    @event
    def on_languages(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "languages": [language.as_json() for language in languages().values()]}

    @event
    def on_card(self, data: dict[str, Any]) -> dict[str, Any]:
        # a card-only language too: the person may read a language the rest of the service is not in
        language = normalise(data.get("language", "en"), card_languages())
        if language is None:
            return _failure("unsupported_language", N_("That language is not offered."))
        draft = card_languages()[language].draft_in("cards")
        card = current_app.extensions["cards"].render(_text(data, "card"), language, draft)
        if card is None:
            return _failure("not_found", N_("There is no such card."))
        return {"ok": True, "card": card}

    @turn
    def on_answer(self, data: dict[str, Any]) -> dict[str, Any]:
        if "value" not in data:
            raise ValueError("value")
        return self._act("answer", data, question_id=_text(data, "question_id"), value=data.get("value"))

    @turn
    def on_back(self, data: dict[str, Any]) -> dict[str, Any]:
        return self._act("back", data)

    @turn
    def on_change(self, data: dict[str, Any]) -> dict[str, Any]:
        return self._act("change", data, question_id=_text(data, "question_id"))

    @turn
    def on_submit(self, data: dict[str, Any]) -> dict[str, Any]:
        return self._act("submit", data)

    @event
    def on_lookup(self, data: dict[str, Any]) -> dict[str, Any]:
        name, query = _text(data, "list"), data.get("query")
        if not isinstance(query, str) or len(query) > 100:
            raise ValueError("query")
        language = normalise(data.get("language", "en")) or "en"
        matches = conversations.lookups().search(name or "", query, language)
        return {"ok": True, "matches": [{"value": m.value, "label": m.label} for m in matches]}

    def _act(self, event_name: str, data: dict[str, Any], **payload: Any) -> dict[str, Any]:
        conversation_id = _text(data, "conversation_id", limit=64) or ""
        client_msg_id = _text(data, "client_msg_id", limit=64) or ""
        turn = conversations.act(conversation_id, event_name, payload, client_msg_id, _links[_sid()].standing)
        return lean(turn, _memory())


def on_error(error: Exception) -> dict[str, Any]:
    """Any unexpected failure: log it (never the payload: it holds personal data) and say so."""
    frames = "".join(traceback.format_tb(error.__traceback__))  # frames only: the message may quote data
    log.error("event failed: %s\n%s", type(error).__name__, frames)
    return _failure("server_error", N_("Something went wrong, and your last answer was not saved. Send it again."))
