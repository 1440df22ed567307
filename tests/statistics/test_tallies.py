"""Small-number suppression, called on the statistics service with a database (no pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from assistant import statistics
from assistant.extensions import db
from assistant.statistics import SMALL, WITHHELD, Cell, suppress
from assistant.storage.models import AuditEntry
from tests import factories


def cells(*counts: int) -> list[Cell]:
    return [Cell(str(i), str(i), count) for i, count in enumerate(counts)]


def marks(found: list[Cell]) -> list[str | None]:
    return [cell.mark for cell in found]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([10, 20, 0], [None, None, None]),  # nothing small: zeros are shown
        ([10, 3, 20], [WITHHELD, SMALL, None]),  # one small count: the next smallest is withheld
        ([10, 1, 1, 20], [WITHHELD, SMALL, SMALL, None]),  # two 1s add up to a known 2: withhold more
        ([10, 2, 3, 20], [None, SMALL, SMALL, None]),  # 2 + 3 = 5 leaves several splits: enough
        ([4, 4, 30], [SMALL, SMALL, WITHHELD]),  # all 4s can be worked out too
    ],
)
def test_secondary_suppression_leaves_no_small_count_to_work_out(counts: list[int], expected: list[str | None]) -> None:
    assert marks(suppress(cells(*counts))) == expected


def test_a_table_that_does_not_add_up_has_only_its_small_counts_hidden() -> None:
    assert marks(suppress(cells(10, 3, 20), adds_up=False)) == [None, SMALL, None]


def test_hidden_counts_show_as_words_and_the_rest_as_numbers(app: Flask) -> None:
    with app.test_request_context():
        shown = [cell.shown for cell in suppress(cells(10, 3, 20))]
    assert shown == ["withheld", "fewer than 5", "20"]


def test_tallies_count_categories_only_within_the_dates_and_suppress_small_totals(app: Flask) -> None:
    march = dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC)
    with app.app_context():
        for _ in range(6):
            factories.referral(submitted_at=march, jurisdiction="wales")
        factories.referral(submitted_at=march, age_group="child", exploitation=["sexual", "labour"])
        factories.referral(submitted_at=march + dt.timedelta(days=40))  # outside the range
        db.session.commit()
        counted = statistics.tallies(dt.datetime(2025, 3, 1, tzinfo=dt.UTC), dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
    tables = {table.key: {cell.key: (cell.count, cell.mark) for cell in table.cells} for table in counted.tables}
    assert (counted.total.count, counted.total.mark) == (7, None)
    assert tables["age_group"]["adult"] == (6, WITHHELD)  # else the one child is 7 - 6
    assert tables["age_group"]["child"] == (1, SMALL)
    assert tables["jurisdiction"]["wales"] == (6, WITHHELD)
    assert tables["jurisdiction"]["not-recorded"] == (1, SMALL)
    assert tables["exploitation"]["labour"] == (7, None)  # a referral counts under each type: not a partition
    assert tables["exploitation"]["sexual"] == (1, SMALL)
    assert tables["quarter"] == {"2025-Q1": (7, None)}
    with app.app_context():
        small = statistics.tallies(dt.datetime(2025, 4, 1, tzinfo=dt.UTC), None)
    assert (small.total.count, small.total.mark) == (1, SMALL)


def test_an_export_is_on_the_audit_trail_with_the_days_typed(app: Flask) -> None:
    with app.app_context():
        factories.referral()
        db.session.commit()
        counted = statistics.export(None, None, days=("2025-01-01", ""))
        assert counted.total.mark == SMALL
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.target) == ("export", "statistics:2025-01-01..")
