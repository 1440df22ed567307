"""The SQLite database and the development secrets are readable by their owner only."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from assistant import _secrets, create_app
from assistant.extensions import db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common default, under which files are made readable by everyone (0644)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_sqlite_database_and_its_wal_are_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "assistant.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}, env="test")
    with app.app_context():
        db.session.execute(text("CREATE TABLE t (x INTEGER)"))
        db.session.execute(text("INSERT INTO t VALUES (1)"))
        db.session.commit()
        assert mode(path) == 0o600
        assert mode(path.with_name("assistant.db-wal")) == 0o600
        db.engine.dispose()


def test_the_development_secrets_are_the_owners_only(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    app = SimpleNamespace(
        instance_path=str(instance),
        config={
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "CREATE_DEV_SECRETS": True,
            "SECRET_KEY": None,
            "DATA_ENCRYPTION_KEYS": None,
        },
    )
    _secrets(app)  # type: ignore[arg-type]
    secrets_file = instance / "dev-secrets.json"
    assert mode(secrets_file) == 0o600
    assert mode(instance) == 0o700
    assert json.loads(secrets_file.read_text())["SECRET_KEY"] == app.config["SECRET_KEY"]
