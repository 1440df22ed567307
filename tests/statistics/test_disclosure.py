"""Attempts to single out one referral by comparing statistics (assistant/disclosure.py): each must fail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assistant import disclosure, quarterly, statistics_report
from assistant.extensions import db
from assistant.statistics import SMALL, WITHHELD
from tests import factories
from tests.conftest import Staff
from tests.web.test_statistics import table

Q1 = quarterly.quarter_bounds(2025, 1)
NOW = dt.datetime(2025, 8, 1, tzinfo=dt.UTC)  # the third quarter of 2025: the first two have ended


def crowd(**columns: Any) -> None:
    """Twenty referrals in the first quarter of 2025, all alike."""
    for _ in range(20):
        factories.referral(submitted_at=dt.datetime(2025, 2, 3, 10, tzinfo=dt.UTC), gender="male", **columns)


def cuts(start: dt.datetime | None, end: dt.datetime | None) -> dict[str, dict[str, tuple[int, str | None]]]:
    made = statistics_report.report(start, end, now=NOW)
    return {t.key: {c.key: (c.count, c.mark) for c in t.cells} for t in made.found.tables}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.datetime(2025, 1, 2, tzinfo=dt.UTC), Q1[1]),  # one day short at the start
        (Q1[0], Q1[1] - dt.timedelta(days=1)),  # ... or at the end
        (Q1[0] + dt.timedelta(hours=1), Q1[1]),  # an hour is enough to be refused
    ],
)
def test_two_overlapping_ranges_cannot_be_differenced(app: Flask, start: dt.datetime, end: dt.datetime) -> None:
    with app.app_context():
        crowd()
        factories.referral(submitted_at=dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC), gender="female")  # the one
        db.session.commit()
        whole = cuts(*Q1)
        assert whole["gender"]["female"] == (1, SMALL)
        made = statistics_report.report(start, end, now=NOW)
    assert made.found.tables == []  # no table by category for a range of part of a quarter
    assert made.refusal == str(disclosure.NOT_WHOLE_QUARTERS)


def test_asking_again_later_shows_the_same_tables(app: Flask) -> None:
    """Open-ended tables stop at the end of the last quarter that has ended: a referral made since
    cannot be found by comparing today's tables with yesterday's."""
    with app.app_context():
        crowd()
        db.session.commit()
        before = cuts(None, None)
        factories.referral(submitted_at=NOW - dt.timedelta(days=1), gender="female")
        db.session.commit()
        after = cuts(None, None)
        assert statistics_report.report(quarterly.quarter_bounds(2025, 3)[0], None, now=NOW).refusal == str(
            disclosure.NO_ENDED_QUARTER
        )
    assert before == after
    assert after["gender"]["female"] == (0, None)


def test_complementary_cuts_do_not_give_away_a_small_count(app: Flask) -> None:
    """A force's table and the nation's cover the same referrals: the force's small count stays hidden."""
    with app.app_context():
        for _ in range(7):
            factories.referral(
                submitted_at=dt.datetime(2025, 2, 3, tzinfo=dt.UTC), jurisdiction="england", police_force_area="kent"
            )
        factories.referral(
            submitted_at=dt.datetime(2025, 2, 3, tzinfo=dt.UTC), jurisdiction="england", police_force_area="surrey"
        )
        db.session.commit()
        found = cuts(*Q1)
    assert found["nation"]["england"] == (8, None)  # the total the forces add up to is known
    forces = found["police_force_area"]
    assert forces["surrey"] == (1, SMALL)
    assert forces["kent"][1] == WITHHELD  # else 8 - 7 = the one in Surrey
    # What is shown leaves Kent and Surrey at 5 and 3, 6 and 2, or 7 and 1.


def test_exported_counts_are_rounded_so_overlapping_tables_do_not_subtract(app: Flask, staff: Staff) -> None:
    """Q1 alone and Q1 with Q2: the exported totals differ by a rounded 0 or 5, never by one person."""
    with app.app_context():
        crowd()
        factories.referral(submitted_at=dt.datetime(2025, 5, 6, tzinfo=dt.UTC), gender="male")
        db.session.commit()
    analyst: FlaskClient = staff.client("analyst")
    one = analyst.get("/statistics/export.csv?from=2025-01-01&to=2025-03-31").data.decode("utf-8-sig")
    both = analyst.get("/statistics/export.csv?from=2025-01-01&to=2025-06-30").data.decode("utf-8-sig")
    assert "By gender,Male,20" in one
    assert "By gender,Male,20" in both  # 21 rounds to 20


def test_rounding_to_the_nearest_5() -> None:
    assert [disclosure.rounded(n) for n in (0, 2, 3, 5, 7, 8, 12, 13)] == [0, 0, 5, 5, 5, 10, 10, 15]


def test_the_page_refuses_part_of_a_quarter_with_the_reason(app: Flask, staff: Staff) -> None:
    with app.app_context():
        crowd()
        db.session.commit()
    analyst = staff.client("analyst")
    response = analyst.get("/statistics/?from=2025-01-02&to=2025-03-31")
    assert response.status_code == 400
    assert 'href="#from"' in response.text
    assert "Tables by category cover whole quarters that have ended" in response.text
    assert 'id="table-gender"' not in response.text
    assert table(response.text, "quarter_kind")["2025-Q1:total"] == "20"  # the national count stays
    assert analyst.get("/statistics/?from=2025-01-01&to=2025-03-30").status_code == 400
    assert table(analyst.get("/statistics/?from=2025-01-01&to=2025-03-31").text, "gender")["male"] == "20"
