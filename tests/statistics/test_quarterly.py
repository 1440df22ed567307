"""The quarterly tables (assistant/quarterly.py) counted from the category columns, with a database."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from assistant import quarterly
from assistant.extensions import db
from assistant.quarterly import Scope
from assistant.statistics import SMALL, WITHHELD
from tests import factories

Q1_2025 = quarterly.quarter_bounds(2025, 1)
MONDAY = dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC)


def rows(table: quarterly.Table) -> dict[str, tuple[int, str | None]]:
    return {cell.key: (cell.count, cell.mark) for cell in table.cells}


def test_quarter_bounds_are_uk_time() -> None:
    start, after = quarterly.quarter_bounds(2025, 2)
    assert start == dt.datetime(2025, 3, 31, 23, tzinfo=dt.UTC)  # 1 April, BST
    assert after == dt.datetime(2025, 6, 30, 23, tzinfo=dt.UTC)
    assert quarterly.quarter_bounds(2025, 4)[1] == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_the_national_table_counts_each_quarter_by_kind(app: Flask) -> None:
    with app.app_context():
        for _ in range(6):
            factories.referral(submitted_at=MONDAY)
        factories.referral(submitted_at=MONDAY, kind="dtn", status="dtn-received")
        # 23:30 UTC on 31 March 2025 is 00:30 on 1 April in the UK: the second quarter.
        factories.referral(submitted_at=dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC))
        db.session.commit()
        grid = quarterly.quarters(Scope())
    found = {key: [(c.key, c.count, c.mark) for c in cells] for key, cells in grid.rows}
    assert found["2025-Q1"] == [("nrm", 6, WITHHELD), ("dtn", 1, SMALL), ("total", 7, None)]
    assert found["2025-Q2"] == [("nrm", 1, SMALL), ("dtn", 0, None), ("total", 1, SMALL)]


def test_category_tables_count_the_columns_with_not_recorded_and_combinations(app: Flask) -> None:
    with app.app_context():
        for number in range(10):
            factories.referral(
                submitted_at=MONDAY,
                gender="male" if number < 7 else None,
                nationality="AL" if number < 5 else "VN",
                exploitation=["labour", "sexual"] if number < 5 else ["criminal"],
                exploitation_place="uk",
                organisation_type="police",
                jurisdiction="england",
                police_force_area="kent",
                age_at_exploitation="child",
            )
        db.session.commit()
        scope = Scope(*Q1_2025)
        tables = {key: rows(table(scope)) for key, table in quarterly.CATEGORY_TABLES.items()}
    assert tables["gender"] == {
        "female": (0, None),
        "male": (7, WITHHELD),  # else the 3 not recorded are 10 - 7
        "other": (0, None),
        "not-recorded": (3, SMALL),
    }
    assert tables["nationality"] == {"AL": (5, None), "VN": (5, None), "other": (0, None), "not-recorded": (0, None)}
    assert tables["exploitation"]["labour"] == (5, None)
    assert tables["exploitation"]["sexual"] == (5, None)
    assert tables["exploitation_combination"] == {"criminal": (5, None), "labour+sexual": (5, None)}
    assert tables["age_at_exploitation"] == {"adult": (0, None), "child": (10, None), "unknown": (0, None)}
    assert tables["police_force_area"] == {"kent": (10, None), "not-recorded": (0, None)}
    assert tables["nation"]["england"] == (10, None)


def test_the_top_20_nationalities_are_named_and_the_rest_are_other(app: Flask) -> None:
    codes = [
        "AL",
        "VN",
        "ER",
        "SD",
        "GB",
        "IR",
        "AF",
        "IQ",
        "SY",
        "NG",
        "RO",
        "PL",
        "CN",
        "IN",
        "PK",
        "EG",
        "ET",
        "SO",
        "YE",
        "LY",
        "TR",
        "BG",
    ]
    with app.app_context():
        for rank, code in enumerate(codes):
            for _ in range(30 - rank):
                factories.referral(submitted_at=MONDAY, nationality=code)
        db.session.commit()
        table = quarterly.nationalities(Scope(*Q1_2025))
    keys = [cell.key for cell in table.cells]
    assert keys == [*codes[:20], "other", "not-recorded"]
    assert table.cells[20].count == (30 - 20) + (30 - 21)


def test_decision_times_are_working_days_with_median_and_90th_percentile(app: Flask) -> None:
    with app.app_context():
        for days in range(1, 11):  # decided 1 to 10 calendar days after a Monday
            factories.referral(
                submitted_at=MONDAY,
                rg_outcome="positive" if days % 2 else "negative",
                rg_decided_at=MONDAY + dt.timedelta(days=days),
            )
        db.session.commit()
        found = quarterly.timeliness(Scope(*Q1_2025), "rg", target=5)
        outcomes = rows(quarterly.outcomes("rg")(Scope(*Q1_2025)))
    # Tuesday..Thursday of the next week: 1 2 3 4 4 4 5 6 7 8 working days.
    assert found.decided.count == 10
    assert found.median == 4
    assert found.percentile_90 == 7.1
    assert found.within_target is not None
    assert found.within_target.count == 7
    assert outcomes == {"positive": (5, None), "negative": (5, None)}


def test_the_panel_uphold_rate_comes_from_its_reviews(app: Flask) -> None:
    with app.app_context():
        member = factories.user("panel", "independent-panel")
        for number in range(8):
            referral = factories.referral(submitted_at=MONDAY)
            db.session.add(
                quarterly.ReferralEvent(
                    referral=referral,
                    action="uphold" if number < 6 else "send-back",
                    actor=member,
                    status="rg-negative",
                    at=MONDAY,
                )
            )
        db.session.commit()
        found = quarterly.panel(Scope(*Q1_2025))
    assert (found.upheld.count, found.sent_back.count) == (6, 2)
    assert found.uphold_rate is None  # 2 sent back is suppressed: no share that reveals it


def test_decision_days_are_counted_in_uk_dates_across_summer_time(app: Flask) -> None:
    # 23:30 UTC on Monday 31 March 2025 is already Tuesday 1 April in the UK: decided the same UK day.
    submitted = dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC)
    with app.app_context():
        for _ in range(5):
            factories.referral(
                submitted_at=submitted, rg_outcome="positive", rg_decided_at=submitted + dt.timedelta(hours=9)
            )
        db.session.commit()
        found = quarterly.timeliness(Scope(*quarterly.quarter_bounds(2025, 2)), "rg", target=5)
    assert (found.decided.count, found.median) == (5, 0)
