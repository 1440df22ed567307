"""Migration 0009 makes the table of kept statistics as the model has it, and takes it away again."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from assistant.storage.models import StatisticsTally
from tests.storage.test_statistics_migration import flask_db


def test_the_kept_statistics_table_comes_and_goes_with_its_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    flask_db(url, "upgrade")
    inspector = sa.inspect(sa.create_engine(url))
    model = StatisticsTally.__table__
    assert {column["name"] for column in inspector.get_columns("statistics_tallies")} == set(model.columns.keys())
    assert inspector.get_pk_constraint("statistics_tallies")["constrained_columns"] == [
        column.name for column in model.primary_key.columns
    ]
    flask_db(url, "downgrade", "0008")
    assert "statistics_tallies" not in sa.inspect(sa.create_engine(url)).get_table_names()
