"""The chat's Socket.IO connection: only signed-in first responders, and only while signed in."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from assistant.accounts import sessions
from assistant.extensions import db, socketio
from assistant.storage.models import Turn, User
from tests.conftest import Staff, csrf


def closes(client: Any, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while client.is_connected() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not client.is_connected()


def test_without_signing_in_the_connection_is_refused(app: Flask) -> None:
    anonymous = socketio.test_client(app, flask_test_client=app.test_client())
    assert not anonymous.is_connected()


@pytest.mark.parametrize("role", ["caseworker", "panel", "analyst", "admin", "translator"])
def test_only_first_responders_may_connect(app: Flask, staff: Staff, role: str) -> None:
    other = socketio.test_client(app, flask_test_client=staff.client(role))
    assert not other.is_connected()


# "kept": an answer before the change, so the next event is worked out from the state this process
# kept (recent_turns.py) and only its write checks the account
READ_OR_KEPT = pytest.mark.parametrize("answered", [False, True], ids=["read", "kept"])


def _turns(app: Flask, conversation_id: str) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Turn).where(Turn.conversation_id == conversation_id)).all())


@READ_OR_KEPT
def test_an_ended_session_gets_signed_out_and_the_connection_closes(app: Flask, chat: Any, answered: bool) -> None:
    chat.start()
    if answered:
        chat.answer("reference", "CASE-000")
    with app.app_context():
        user = db.session.get(User, chat.web.user.id)
        user.session_version += 1  # an administrator ends every session of the user
        db.session.commit()
    ack = chat.answer("reference", "CASE-001")
    assert _turns(app, chat.conversation_id) == int(answered)  # nothing stored for it
    assert ack == {
        "ok": False,
        "error": {"code": "signed_out", "message": "You have been signed out. Sign in again to carry on."},
    }
    assert chat.client.is_connected()  # the acknowledgement leaves first...
    assert closes(chat.client)  # ...then the server closes the connection


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"role": "caseworker"}, {"organisation_id": "another"}],
    ids=["disabled", "no-longer-a-first-responder", "moved-organisation"],
)
@READ_OR_KEPT
def test_an_account_changed_under_an_open_chat_is_signed_out_at_its_next_event(
    app: Flask, staff: Staff, chat: Any, change: dict[str, Any], answered: bool
) -> None:
    chat.start()
    if answered:
        chat.answer("reference", "CASE-000")
    another = staff.user("first-responder", "barnardos").organisation_id
    with app.app_context():
        user = db.session.get(User, chat.web.user.id)
        before = {name: getattr(user, name) for name in change}
        for name, value in change.items():
            setattr(user, name, another if value == "another" else value)
        db.session.commit()
    try:
        # read with the conversation; and with none to read, still signed_out rather than not_found
        missing = chat.send("answer", conversation_id="no-such-draft", question_id="reference", value="CASE-001")
        assert missing["error"]["code"] == "signed_out"
        assert chat.answer("reference", "CASE-001")["error"]["code"] == "signed_out"
        assert _turns(app, chat.conversation_id) == int(answered)
    finally:
        with app.app_context():  # the account as the other tests know it
            user = db.session.get(User, chat.web.user.id)
            for name, value in before.items():
                setattr(user, name, value)
            db.session.commit()


def test_an_idle_socket_times_out_like_the_web_session(app: Flask, chat: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    chat.start()
    later = sessions._now() + 31 * 60
    monkeypatch.setattr(sessions, "_now", lambda: later)
    assert chat.answer("reference", "CASE-001")["error"]["code"] == "signed_out"


def test_signing_out_closes_the_chat_and_asks_the_browser_to_clear_its_storage(chat: Any) -> None:
    chat.start()
    out = chat.web.post("/sign-out", data={"csrf_token": csrf(chat.web.get("/referrals/").text)})
    assert out.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert not chat.client.is_connected()
    assert chat.web.get("/").status_code == 302  # the chat page now asks to sign in


def test_the_web_session_is_kept_alive_by_the_chat_and_ends_with_it(
    staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = staff.client("first-responder")
    assert web.get("/session/alive").status_code == 204
    later = sessions._now() + 31 * 60
    monkeypatch.setattr(sessions, "_now", lambda: later)
    assert web.get("/session/alive").status_code == 302  # timed out: to the sign-in page
    assert web.get("/session/alive").status_code == 401


def test_an_event_reads_the_connections_session_without_decoding_the_cookie_again(
    chat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat.start()
    decoded: list[str] = []
    decode = sessions.SecureCookieSessionInterface.open_session

    def counting(self: Any, app: Flask, request: Any) -> Any:
        decoded.append(request.path)
        return decode(self, app, request)

    monkeypatch.setattr(sessions.SecureCookieSessionInterface, "open_session", counting)
    assert chat.answer("reference", "CASE-001")["ok"]
    assert decoded == []  # the connection's copy of the session, made at the handshake, was used
    chat.web.get("/session/alive")
    assert decoded == ["/session/alive"]  # a page request still decodes its cookie
