"""`flask stats export --quarter 2025Q1`: the workbook a scheduled job writes."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
from flask import Flask
from sqlalchemy import select

from assistant import demo_seed, quarterly
from assistant.extensions import db
from assistant.storage.models import AuditEntry, StatisticsTally


def test_the_workbook_of_an_ended_quarter_is_written_and_audited(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        demo_seed.seed(200, *quarterly.quarter_bounds(2025, 1), rng=random.Random(5))
    output = tmp_path / "q1.xlsx"
    result = app.test_cli_runner().invoke(args=["stats", "export", "--quarter", "2025Q1", "--output", str(output)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(output)
    assert {"quarter_kind", "gender", "nationality", "exploitation_combination", "timeliness", "panel"} <= set(
        book.sheetnames
    )
    total = book["quarter_kind"]["D4"].value
    assert total == 200  # rounded to 5: 200 stays 200
    assert all(
        isinstance(row[1], str) or row[1] % 5 == 0
        for row in book["gender"].iter_rows(min_row=4, max_row=7, values_only=True)
    )
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.target).where(AuditEntry.action == "export")).all() == [
            "cli:stats:2025Q1"
        ]


def test_a_quarter_not_ended_or_misspelt_is_refused(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    assert "has not ended yet" in runner.invoke(args=["stats", "export", "--quarter", "2999Q1"]).output
    assert "YYYYQn" in runner.invoke(args=["stats", "export", "--quarter", "2025-3"]).output


def test_every_ended_quarter_is_kept_by_the_keep_command(app: Flask) -> None:
    with app.app_context():
        demo_seed.seed(40, quarterly.quarter_bounds(2025, 1)[0], quarterly.quarter_bounds(2025, 2)[1], random.Random(6))
    result = app.test_cli_runner().invoke(args=["stats", "keep"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        kept = set(db.session.scalars(select(StatisticsTally.quarter).where(StatisticsTally.tally == "filled")))
    assert {"2025-Q1", "2025-Q2"} <= kept
