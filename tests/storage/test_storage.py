"""Personal data is encrypted at rest, and a value cannot be moved to another column."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from flask import Flask
from sqlalchemy import event, inspect, select, text, update

from assistant import conversations
from assistant.extensions import db
from assistant.storage import store
from assistant.storage.crypto import keyring
from assistant.storage.models import Conversation, FlowVersion, Turn
from assistant.storage.unit_of_work import reading
from tests.conftest import Chat
from tests.scenarios import ROUTES
from tests.web.chats import complete


def test_answers_are_stored_encrypted(app: Flask, chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "SYNTHETIC-REF-4242")
    with app.app_context():
        rows = db.session.execute(text("SELECT snapshot FROM conversations UNION ALL SELECT ack FROM turns")).all()
    assert rows
    for (stored,) in rows:
        assert stored.startswith("v1:test:")
        assert "SYNTHETIC-REF-4242" not in stored


def test_a_ciphertext_does_not_decrypt_under_another_columns_name() -> None:
    sealed = keyring.encrypt(b'{"a": 1}', b"conversations.snapshot")
    assert keyring.decrypt(sealed, b"conversations.snapshot") == b'{"a": 1}'
    with pytest.raises(InvalidTag):
        keyring.decrypt(sealed, b"referrals.answers")


def test_drafts_untouched_for_thirty_days_are_purged(
    app: Flask, chat: Chat, new_chat: Any, list_values: dict[str, str]
) -> None:
    chat.start()
    chat.answer("reference", "SYNTHETIC-OLD")
    fresh = new_chat()
    fresh.start()
    sent = new_chat()
    sent.start()
    complete(sent, ROUTES["child"], list_values)
    sent.send("submit")
    with app.app_context():
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
        for conversation_id in (chat.conversation_id, sent.conversation_id):
            db.session.execute(update(Conversation).where(Conversation.id == conversation_id).values(updated_at=old))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["conversations", "purge"])
    assert result.output.strip() == "1 draft(s) untouched for 30 days deleted."
    with app.app_context():
        left = set(db.session.scalars(select(Conversation.id)))
        turns = set(db.session.scalars(select(Turn.conversation_id)))
    assert left == {fresh.conversation_id, sent.conversation_id}  # the submitted one is kept
    assert chat.conversation_id not in turns


def test_an_event_loads_its_flow_versions_digest_not_its_text(app: Flask, chat: Chat) -> None:
    chat.start()
    with app.app_context():
        conversation = store.get_conversation(db.session, chat.conversation_id, for_update=True)
        assert conversation is not None
        assert "source" in inspect(conversation.flow_version).unloaded  # tens of kilobytes, read only when needed
        assert conversation.flow_version.digest
        assert conversation.flow_version.source.startswith(("id:", "#", "flow"))  # still there when read
        db.session.rollback()


def test_a_chat_event_reads_its_conversation_flow_digest_and_account_in_one_statement(app: Flask, chat: Chat) -> None:
    """Unlocked, and on SQLite without the write lock: the turn is stored only if the revision holds."""
    chat.start()
    chat.answer("reference", "SYNTHETIC-REF-4242")
    statements: list[str] = []

    driven: list[str] = []  # on SQLite, everything the driver ran: BEGIN goes to it directly

    def seen(*args: Any) -> None:
        statements.append(args[2])

    def traced(dbapi_connection: Any, *_: Any) -> None:
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(driven.append)

    def untraced(dbapi_connection: Any, *_: Any) -> None:
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(None)

    with app.app_context():
        worker = db.session.scalar(select(Conversation.created_by_id).where(Conversation.id == chat.conversation_id))
        assert worker is not None
        db.session.rollback()
        hooks = [("before_cursor_execute", seen), ("checkout", traced), ("checkin", untraced)]
        for name, hook in hooks:
            event.listen(db.engine, name, hook)
        try:
            with reading():
                found = store.turn_state(db.session, chat.conversation_id, worker)
        finally:
            for name, hook in hooks:
                event.remove(db.engine, name, hook)
        assert found is not None
        state, account = found
        assert account.active
        assert account.role == "first-responder"
        assert state.revision == 2  # made, then answered once
        version = db.session.get(FlowVersion, state.flow_version_id)
        assert version is not None
        assert state.flow_digest == version.digest
        assert state.snapshot["answers"]["reference"] == "SYNTHETIC-REF-4242"  # decrypted
        assert state.status == "draft"
        assert state.organisation_id is not None
        assert store.turn_state(db.session, "no-such-conversation", worker) is None
        db.session.rollback()
        dialect = db.engine.dialect.name
    [read] = [sql for sql in statements if "FROM conversations" in sql]
    assert [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")] == [read]  # the account too
    assert "source" not in read  # the flow's text, tens of kilobytes, is not read by an event
    assert "FOR UPDATE" not in read
    if dialect == "sqlite":
        assert driven[0] == "BEGIN"  # deferred: no write lock
        assert [sql.split()[0] for sql in driven] == ["BEGIN", "SELECT", "ROLLBACK"]


def test_an_event_another_got_in_before_is_worked_out_again_on_the_new_state(
    app: Flask, chat: Chat, new_chat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two tabs on one draft: the second's Back is stored between the first's read and its write. The
    first is not stored over it: it is worked out again on the state after that Back."""
    chat.start()
    chat.answer("reference", "SYNTHETIC-REF-6001")
    other = new_chat(web=chat.web)  # the same worker in a second tab
    other.conversation_id = chat.conversation_id
    read_at: list[int] = []
    work_out = conversations._work_out

    def other_gets_in_first(conversation: store.TurnState, event: str, payload: dict[str, Any]) -> Any:
        read_at.append(conversation.revision)
        if len(read_at) == 1:  # in a thread of its own, as another connection's event would run
            racer = threading.Thread(target=other.send, args=("back",))
            racer.start()
            racer.join()
        return work_out(conversation, event, payload)

    monkeypatch.setattr(conversations, "_work_out", other_gets_in_first)
    # read at 2, where the reference is already answered; the other tab's Back, read at 2 and stored;
    # read again at 3, back at the reference, and answered there
    ack = chat.answer("reference", "SYNTHETIC-REF-6002")
    assert ack["ok"] is True
    assert read_at == [2, 2, 3]
    with app.app_context():
        conversation = db.session.get(Conversation, chat.conversation_id)
        assert conversation is not None
        assert conversation.revision == 4
        turns = db.session.scalars(select(Turn).where(Turn.conversation_id == chat.conversation_id))
        assert [turn.event for turn in turns] == ["answer", "back", "answer"]
        assert conversation.snapshot["answers"]["reference"] == "SYNTHETIC-REF-6002"
        db.session.rollback()


def test_an_answer_stores_its_turn_and_the_conversations_new_state(app: Flask, chat: Chat) -> None:
    """A turn is written with plain statements, not through the loaded object: each column must move."""
    chat.start()
    with app.app_context():
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
        db.session.execute(update(Conversation).where(Conversation.id == chat.conversation_id).values(updated_at=old))
        db.session.commit()
    chat.answer("reference", "SYNTHETIC-REF-5150")
    with app.app_context():
        conversation = db.session.get(Conversation, chat.conversation_id)
        assert conversation is not None
        assert conversation.snapshot["answers"]["reference"] == "SYNTHETIC-REF-5150"
        assert conversation.state != "reference"
        assert conversation.answer_languages == {"reference": "en"}
        assert conversation.updated_at > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        turns = list(db.session.scalars(select(Turn).where(Turn.conversation_id == chat.conversation_id)))
        assert [(turn.event, turn.question_id, turn.ack["ok"]) for turn in turns] == [("answer", "reference", True)]
