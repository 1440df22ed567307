"""SQLite's durability setting for the embedded server: WAL, with a commit that survives a process crash."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine

from assistant.storage.database import tune


def test_a_database_file_is_in_wal_mode_with_synchronous_normal(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'tuned.db'}")
    tune(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()


def test_only_a_networked_database_is_pinged_before_each_checkout(app) -> None:
    from assistant.extensions import db

    with app.app_context():
        assert db.engine.pool._pre_ping is (db.engine.dialect.name != "sqlite")
