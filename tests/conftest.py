"""Fixtures: one app per test session on a temporary SQLite file, a clean database per test, staff
accounts signed in through the real sign-in page, and a Socket.IO test client that speaks the protocol."""

from __future__ import annotations

import itertools
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from argon2 import PasswordHasher, profiles
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from sqlalchemy import text

from assistant import create_app
from assistant.accounts import users
from assistant.extensions import db, limiter, socketio
from assistant.storage.models import APPEND_ONLY
from tests.databases import throwaway_database

PASSWORD = "correct horse battery staple"  # synthetic, like every account in the tests
# Organisations of the tests' accounts: two first responders (to prove neither sees the other's work),
# the single expert unit and the panel.
ORGANISATIONS = {
    "salvation-army": ("The Salvation Army", "ngo"),
    "barnardos": ("Barnardo's", "ngo"),
    "single-competent-authority": ("Single Competent Authority", "unit"),
    "independent-panel": ("Independent review panel", "panel"),
}
HOME_ORGANISATION = {
    "first-responder": "salvation-army",
    "caseworker": "single-competent-authority",
    "panel": "independent-panel",
    "analyst": "single-competent-authority",
    "admin": "single-competent-authority",
    "translator": "single-competent-authority",
    "police-liaison": "police-kent",
}
LIAISON_FORCE = "kent"  # the force of every police liaison made here

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


@pytest.fixture(autouse=True, scope="session")
def cheap_hashing() -> None:
    """argon2's cheapest profile: the tests sign in often, and the real cost is not what they test."""
    users.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture(autouse=True)
def clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" in request.fixturenames:
        app: Flask = request.getfixturevalue("app")
        limiter.reset()  # rate limits count per address, and every test client is 127.0.0.1
        with app.app_context():
            empty_tables()


def empty_tables() -> None:
    """Delete every row. The audit trail refuses deletes, so its triggers step aside for this only:
    TRUNCATE does not fire them on PostgreSQL; on SQLite they are dropped and made again."""
    dialect = db.engine.dialect.name
    names = [table.name for table in db.metadata.sorted_tables]
    if dialect == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
        db.session.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_delete"))
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        for statement in APPEND_ONLY["sqlite"]:
            db.session.execute(text(statement))
    db.session.commit()


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf(client.get("/sign-in").text)
    response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": password})
    assert response.status_code == 302, response.text
    return response


class Staff:
    """Makes accounts and signs them in: ``staff.client("caseworker")`` is a signed-in test client."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def user(self, role: str, organisation: str | None = None) -> Any:
        """A new active account (detached: read its id, email, role and organisation_id)."""
        slug = organisation or HOME_ORGANISATION[role]
        with self.app.app_context():
            name, kind = ORGANISATIONS.get(slug, (slug, "ngo"))
            org = users.ensure_organisation(db.session, slug, name, kind)
            email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
            user = users.create_user(db.session, email, f"Synthetic {role}", role, org, PASSWORD)
            if role == "translator":
                user.languages = ["cy"]  # a translator works on at least one language
            if role == "police-liaison":
                user.police_force_area = LIAISON_FORCE
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    def client(self, role: str, organisation: str | None = None) -> FlaskClient:
        client = self.app.test_client()
        client.user = self.user(role, organisation)  # type: ignore[attr-defined]
        sign_in(client, client.user.email)  # type: ignore[attr-defined]
        return client


@pytest.fixture
def staff(app: Flask) -> Staff:
    return Staff(app)


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
        return self.call(
            "answer",
            {
                "conversation_id": self.conversation_id,
                "question_id": question_id,
                "value": value,
                "client_msg_id": client_msg_id or self.msg_id(),
            },
        )

    def send(self, event: str, client_msg_id: str | None = None, **payload: Any) -> dict[str, Any]:
        return self.call(
            event, {"conversation_id": self.conversation_id, "client_msg_id": client_msg_id or self.msg_id(), **payload}
        )

    def resume(self, token: str | None = None) -> dict[str, Any]:
        return self.call(
            "resume",
            {"conversation_id": self.conversation_id, "resume_token": self.resume_token if token is None else token},
        )


@pytest.fixture
def new_chat(app: Flask, staff: Staff) -> Iterator[Any]:
    """Chats of signed-in first responders: ``new_chat()`` for a new one of the Salvation Army,
    ``new_chat(web=client)`` over an already signed-in test client (the same user and organisation)."""
    clients: list[SocketIOTestClient] = []

    def make(organisation: str = "salvation-army", web: FlaskClient | None = None) -> Chat:
        web = web or staff.client("first-responder", organisation)
        clients.append(socketio.test_client(app, flask_test_client=web))
        assert clients[-1].is_connected()
        chat = Chat(clients[-1])
        chat.web = web  # type: ignore[attr-defined]
        return chat

    yield make
    for client in clients:
        if client.is_connected():
            client.disconnect()


@pytest.fixture
def chat(new_chat: Any) -> Chat:
    return new_chat()


@pytest.fixture(scope="session")
def list_values() -> dict[str, str]:
    return first_list_values()


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()
