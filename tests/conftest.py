"""Fixtures: one app per test session on a temporary SQLite file, a clean database per test, and a
Socket.IO test client that speaks the protocol."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask_socketio import SocketIOTestClient

from assistant import create_app
from assistant.extensions import db, limiter, socketio
from tests.databases import throwaway_database

ROOT = Path(__file__).resolve().parent.parent


def first_list_values() -> dict[str, str]:
    """A real value from each list file, for answering select questions."""
    values = {"nationalities": "AL", "countries": "AL", "countries-overseas": "AL"}
    for path in (ROOT / "flows" / "lists").glob("*.yaml"):
        values[path.stem] = str(yaml.safe_load(path.read_text())[0]["value"])
    return values


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a throw-away database: SQLite, or PostgreSQL with TEST_DATABASE=postgresql."""
    kind = os.environ.get("TEST_DATABASE", "sqlite")
    with throwaway_database(kind, tmp_path_factory.mktemp("db")) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, env="test")
        with app.app_context():
            db.create_all()
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" in request.fixturenames:
        app: Flask = request.getfixturevalue("app")
        limiter.reset()  # rate limits count per address, and every test client is 127.0.0.1
        with app.app_context():
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()


class Chat:
    """A Socket.IO test client with helpers for the protocol's events."""

    def __init__(self, client: SocketIOTestClient) -> None:
        self.client = client
        self.conversation_id = ""
        self.resume_token = ""
        self._ids = itertools.count()

    def call(self, event: str, payload: Any) -> dict[str, Any]:
        ack = self.client.emit(event, payload, callback=True)
        assert isinstance(ack, dict), ack
        return ack

    def msg_id(self) -> str:
        return f"m{next(self._ids)}-{uuid.uuid4().hex[:8]}"

    def start(self, language: str = "en", **extra: Any) -> dict[str, Any]:
        turn = self.call("start", {"flow": "nrm", "language": language, **extra})
        self.conversation_id, self.resume_token = turn["conversation_id"], turn["resume_token"]
        return turn

    def answer(self, question_id: str, value: Any, client_msg_id: str | None = None) -> dict[str, Any]:
        return self.call("answer", {"conversation_id": self.conversation_id, "question_id": question_id,
                                    "value": value, "client_msg_id": client_msg_id or self.msg_id()})

    def send(self, event: str, client_msg_id: str | None = None, **payload: Any) -> dict[str, Any]:
        return self.call(event, {"conversation_id": self.conversation_id,
                                 "client_msg_id": client_msg_id or self.msg_id(), **payload})

    def resume(self, token: str | None = None) -> dict[str, Any]:
        return self.call("resume", {"conversation_id": self.conversation_id,
                                    "resume_token": self.resume_token if token is None else token})


@pytest.fixture
def chat(app: Flask) -> Iterator[Chat]:
    client = socketio.test_client(app, flask_test_client=app.test_client())
    yield Chat(client)
    if client.is_connected():
        client.disconnect()


@pytest.fixture
def new_chat(app: Flask) -> Iterator[Any]:
    clients: list[SocketIOTestClient] = []

    def make() -> Chat:
        clients.append(socketio.test_client(app, flask_test_client=app.test_client()))
        return Chat(clients[-1])

    yield make
    for client in clients:
        if client.is_connected():
            client.disconnect()


@pytest.fixture(scope="session")
def list_values() -> dict[str, str]:
    return first_list_values()


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()
