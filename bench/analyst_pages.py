"""The analysts' statistics pages over a national scale of synthetic referrals, on SQLite and PostgreSQL.

    .venv/bin/python bench/analyst_pages.py [--referrals 100000] [--runs 5] [--databases sqlite postgresql]
        [--quarter-just-ended]

For each database: a throw-away database with the schema, ``--referrals`` synthetic referrals over
the last four ended quarters (assistant/demo_seed.py, as ``flask demo seed`` writes them), and an
analyst signed in through the sign-in page of the app's test client (no network: the time is the
server's, from the request to the last byte of the response). Each page is fetched once to warm
up (the first fetch is reported: it keeps the ended quarters' counts), then ``--runs`` times; reports
the median and the slowest, in milliseconds, and the seeding time. ``--quarter-just-ended`` keeps
every quarter but the last before the first fetch, as the daily ``flask stats keep`` would have
before the last quarter ended: the first fetch then keeps that one quarter only.
PostgreSQL needs 127.0.0.1:5432 (see tests/databases.py); it is skipped with the reason when down.
"""

# ruff: noqa: E402 - the path is set before the imports (see below)
from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on the path, where its own name would hide the standard library's
# statistics module: the project's folder replaces it.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time

from assistant import create_app, demo_seed, disclosure, quarterly_cache
from assistant.clock import LONDON
from assistant.extensions import db
from assistant.quarterly import Scope
from assistant.storage.models import utcnow
from tests import factories
from tests.conftest import sign_in
from tests.databases import throwaway_database


def pages() -> dict[str, str]:
    """Each analyst page, over every ended quarter, the last ended quarter, and part of it."""
    end = disclosure.quarter_start(utcnow())
    last = disclosure.quarter_start(end - dt.timedelta(days=1))
    first_day = last.astimezone(LONDON).date()
    last_day = end.astimezone(LONDON).date() - dt.timedelta(days=1)
    return {
        "all ended quarters": "/statistics/",
        "one quarter": f"/statistics/?from={first_day}&to={last_day}",
        "part of a quarter (national only)": f"/statistics/?from={first_day + dt.timedelta(days=1)}",
        "CSV": "/statistics/export.csv",
        "workbook": "/statistics/export.xlsx",
    }


def run(kind: str, referrals: int, runs: int, just_ended: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder, throwaway_database(kind, Path(folder)) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, env="test")
        with app.app_context():
            db.create_all()
            end = disclosure.quarter_start(utcnow())
            start = end
            for _ in range(4):
                start = disclosure.quarter_start(start - dt.timedelta(days=1))
            began = time.perf_counter()
            demo_seed.seed(referrals, start, end, random.Random(1))
            seeded = time.perf_counter() - began
            if just_ended:  # kept on each of their first days: all but the quarter that has just ended
                quarterly_cache.tallies(Scope(None, disclosure.quarter_start(end - dt.timedelta(days=1))))
            analyst = factories.user("analyst")
            db.session.commit()
            email = analyst.email
        client = app.test_client()
        sign_in(client, email)
        kept = "; every quarter but the last already kept" if just_ended else ""
        print(f"\n{kind}: {referrals:,} synthetic referrals seeded in {seeded:.1f} s{kept}")
        for name, url_path in pages().items():
            began = time.perf_counter()  # warm up: the first page counts and keeps the ended quarters
            assert client.get(url_path).status_code in (200, 400), url_path
            first = (time.perf_counter() - began) * 1000
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                response = client.get(url_path)
                response.get_data()
                times.append((time.perf_counter() - began) * 1000)
            print(
                f"  {name:<36} first {first:7.0f} ms   median {statistics.median(times):7.0f} ms"
                f"   slowest {max(times):7.0f} ms"
            )
        with app.app_context():
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--quarter-just-ended", action="store_true", help="keep all but the last quarter first")
    options = parser.parse_args()
    for kind in options.databases:
        try:
            run(kind, options.referrals, options.runs, options.quarter_just_ended)
        except BaseException as error:  # a skipped PostgreSQL (pytest's Skipped is a BaseException)
            if type(error).__name__ != "Skipped":
                raise
            print(f"\n{kind}: skipped ({error})")


if __name__ == "__main__":
    main()
