"""A chat's next event is worked out from the state its process stored last, and read again whenever
that state has moved on elsewhere."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Flask
from sqlalchemy import event, select

from assistant.extensions import db
from assistant.recent_turns import RecentTurns
from assistant.storage.models import Conversation
from assistant.storage.store import TurnState
from tests.conftest import Chat
from tests.scenarios import ROUTES
from tests.web.chats import complete

WORK = {"user-organisation": "salvation-army", "fr-location": "england"}  # the second question's fields


def _statements(app: Flask, run: Any) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_an_answer_after_the_first_is_stored_without_reading_its_conversation(app: Flask, chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "SYNTHETIC-REF-1")  # read, then kept
    statements = _statements(app, lambda: chat.answer("about-your-work", WORK))
    assert [s for s in statements if s.upper().startswith("SELECT")] == []
    assert [s.split()[0].upper() for s in statements] == ["UPDATE", "INSERT"]
    with app.app_context():
        stored = db.session.get(Conversation, chat.conversation_id)
        assert stored is not None
        assert stored.snapshot["answers"]["fr-location"] == "england"
        assert stored.revision == 3  # made, then answered twice


def test_a_conversation_moved_on_in_another_tab_is_read_again(app: Flask, chat: Chat, new_chat: Any) -> None:
    chat.start()
    chat.answer("reference", "SYNTHETIC-REF-2")  # this connection's process keeps the draft in English
    other = new_chat(web=chat.web)  # type: ignore[attr-defined]  # the same worker, another tab
    other.conversation_id, other.resume_token = chat.conversation_id, chat.resume_token
    assert other.call("language", {"conversation_id": chat.conversation_id, "language": "cy"})["ok"]
    statements = _statements(app, lambda: chat.answer("about-your-work", WORK))
    assert any(s.upper().startswith("SELECT") and "FROM conversations" in s for s in statements)
    with app.app_context():
        stored = db.session.get(Conversation, chat.conversation_id)
        assert stored is not None
        assert stored.answer_languages["fr-location"] == "cy"  # the language the draft is in now
        assert stored.language == "cy"


def test_a_draft_changed_by_another_process_is_read_again(app: Flask, chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "SYNTHETIC-REF-3")
    with app.app_context():  # another process answers the next question
        stored = db.session.get(Conversation, chat.conversation_id)
        assert stored is not None
        snapshot = dict(stored.snapshot)
        snapshot["answers"] = {**snapshot["answers"], "reference": "SYNTHETIC-REF-ELSEWHERE"}
        stored.snapshot = snapshot
        db.session.commit()
    ack = chat.answer("about-your-work", WORK)
    assert ack["ok"]
    with app.app_context():
        answers = db.session.scalar(select(Conversation.snapshot).where(Conversation.id == chat.conversation_id))
        assert answers["answers"]["reference"] == "SYNTHETIC-REF-ELSEWHERE"  # not overwritten by the kept state
        assert answers["answers"]["fr-location"] == "england"


def test_a_submitted_referral_is_let_go(app: Flask, chat: Chat, list_values: dict[str, str]) -> None:
    chat.start()
    complete(chat, ROUTES["adult-consent-with-support"], list_values)
    recent = app.extensions["recent_turns"]
    assert recent.get(chat.conversation_id) is not None  # the draft at its review
    assert chat.send("submit")["ok"]
    assert recent.get(chat.conversation_id) is None


def _state(conversation_id: str, status: str = "draft") -> TurnState:
    return TurnState(conversation_id, 1, status, {}, "en", {}, 1, 1, 1, "digest")


def test_only_drafts_are_kept_and_the_least_recently_used_go_first() -> None:
    recent = RecentTurns(2)
    recent.keep(_state("a"))
    recent.keep(_state("b"))
    assert recent.get("a") is not None  # now the most recently used
    recent.keep(_state("c"))
    assert recent.get("b") is None
    assert recent.get("a") is not None
    assert recent.get("c") is not None
    recent.keep(dataclasses.replace(_state("a"), status="submitted"))
    assert recent.get("a") is None
    recent.forget("c")
    assert recent.get("c") is None


def test_a_size_of_nought_keeps_nothing() -> None:
    recent = RecentTurns(0)
    recent.keep(_state("a"))
    assert recent.get("a") is None
