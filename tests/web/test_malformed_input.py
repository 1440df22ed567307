"""Malformed input gets a clear error, never a server error, and loses nothing already given."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from assistant.storage import store
from assistant.storage.models import Base, FlowVersion
from tests.conftest import Chat
from tests.databases import throwaway_database


def test_a_non_ascii_resume_token_is_not_found(chat: Chat, new_chat: Any) -> None:
    chat.start()
    other = new_chat()
    other.conversation_id = chat.conversation_id
    ack = other.resume(token="é" * 43)
    assert ack["error"]["code"] == "not_found"


def test_an_event_with_two_arguments_is_a_bad_request(chat: Chat) -> None:
    chat.start()
    payload = {"conversation_id": chat.conversation_id, "client_msg_id": chat.msg_id()}
    ack = chat.client.emit("back", payload, {"extra": True}, callback=True)
    assert ack["error"]["code"] == "bad_request"
    assert chat.client.emit("start", {"flow": "nrm"}, "more", callback=True)["error"]["code"] == "bad_request"


@pytest.mark.parametrize("value", ["\ud800", "CASE \udfff 42"])
def test_text_with_a_lone_surrogate_is_invalid_and_keeps_the_question(chat: Chat, value: str) -> None:
    chat.start()
    ack = chat.answer("reference", value)
    assert ack["ok"] is False
    assert ack["error"] == {
        "code": "invalid",
        "message": "Enter your answer as text",
        "question_id": "reference",
    }
    assert ack["prompt"]["question_id"] == "reference"
    assert chat.answer("reference", "CASE-42")["ok"] is True


def test_a_required_answer_of_control_characters_only_is_empty(chat: Chat) -> None:
    chat.start()
    ack = chat.answer("reference", "\x01\x02\x1b\x7f")
    assert ack["error"]["code"] == "invalid"
    assert ack["prompt"]["question_id"] == "reference"


@pytest.mark.parametrize("bad", ["\x00", "id\ud800", "tab\there"])
def test_ids_a_database_cannot_hold_are_a_bad_request(chat: Chat, bad: str) -> None:
    chat.start()
    assert chat.answer("reference", "CASE-1", client_msg_id=bad)["error"]["code"] == "bad_request"
    assert chat.call("resume", {"conversation_id": bad, "resume_token": "x"})["error"]["code"] == "bad_request"
    assert chat.call("start", {"flow": "nrm", "client_msg_id": bad})["error"]["code"] == "bad_request"
    assert chat.resume()["prompt"]["question_id"] == "reference"  # nothing changed


def test_the_form_start_with_another_organisations_start_id_is_not_found(app: Flask, staff: Any, new_chat: Any) -> None:
    owner = new_chat()
    owner.start(client_msg_id="start-shared-id")
    intruder = staff.client("first-responder", "barnardos")
    token = re.search(r'name="csrf_token" value="([^"]+)"', intruder.get("/form/").text)
    assert token
    response = intruder.post("/form/start", data={"csrf_token": token.group(1), "client_msg_id": "start-shared-id"})
    assert response.status_code == 404
    assert "This referral could not be found. Start a new one." in response.text
    assert owner.resume()["prompt"]["question_id"] == "reference"


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Any]:
    with throwaway_database("postgresql", tmp_path) as url:
        engine = create_engine(url)
        Base.metadata.create_all(engine, tables=[FlowVersion.__table__])
        yield engine
        engine.dispose()


def test_two_first_starts_at_once_share_one_flow_version(postgres: Any) -> None:
    """The second insert of a new flow version waits on the first one's row, then must find it."""
    first, second = Session(postgres), Session(postgres)
    mine = store.ensure_flow_version(first, "nrm", "1", "d" * 64, "source")  # inserted, not yet committed
    found: list[Any] = []

    def start_too() -> None:
        try:
            found.append(store.ensure_flow_version(second, "nrm", "1", "d" * 64, "source").id)
        except Exception as error:  # the failure is the result under test
            found.append(error)

    racer = threading.Thread(target=start_too)
    racer.start()
    # Wait until the second insert is blocked on the first's row. PostgreSQL shows pg_stat_activity as it was
    # at the transaction's first look, so each look is a transaction of its own: on a busy machine the
    # first look can come before the second insert has started.
    with postgres.connect() as watcher:
        for _ in range(1000):
            waiting = watcher.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar()
            watcher.rollback()
            if waiting:
                break
            time.sleep(0.01)
        assert waiting, f"the second start never waited for the first: {found}"
    first.commit()
    racer.join(timeout=10)
    assert found == [mine.id]
    second.commit()
    first.close()
    second.close()
