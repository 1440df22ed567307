"""The ended quarters' kept tallies (assistant/quarterly_cache.py): the same tables as counting every
referral, dropped when something is dated in a kept quarter, and only for whole ended quarters."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import func, select

from assistant import demo_seed, quarterly, quarterly_cache
from assistant.casework import decisions
from assistant.extensions import db
from assistant.quarterly import Quarterly, Scope, quarter_bounds
from assistant.storage.models import Referral, StatisticsTally
from tests import factories

NOW = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)  # 2026-Q1: the four quarters of 2025 have ended
START, END = quarter_bounds(2025, 1)[0], quarter_bounds(2025, 4)[1]
FEBRUARY = dt.datetime(2025, 2, 3, 10, tzinfo=dt.UTC)  # a Monday in 2025-Q1


def kept(scope: Scope) -> Quarterly:
    tallies = quarterly_cache.tallies(scope, NOW)
    assert tallies is not None
    return quarterly.quarterly(scope, with_cuts=True, target=5, tallies=tallies)


def national(scope: Scope) -> quarterly.Grid:
    return quarterly.quarters(scope, lambda whole: quarterly_cache.tallies(whole, NOW))


def counted(scope: Scope) -> Quarterly:
    return quarterly.quarterly(scope, with_cuts=True, target=5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_tallies_make_the_same_tables_as_counting_every_referral(app: Flask, seed: int) -> None:
    with app.app_context():
        # Few referrals, so that many counts are small and suppressed: the suppression must match too.
        demo_seed.seed(300, START, END, random.Random(seed))
        forces = Counter(db.session.scalars(select(Referral.police_force_area)))
        force = max((f for f in forces if f), key=lambda f: forces[f])
        rng = random.Random(seed)
        scopes = [Scope(START, END), Scope(None, END), Scope(None, END, force)]
        for _ in range(4):  # some runs of whole quarters, nationally and for one force
            first, last = sorted(rng.sample(range(1, 5), 2))
            area = rng.choice([None, force])
            scopes.append(Scope(quarter_bounds(2025, first)[0], quarter_bounds(2025, last)[1], area))
        for scope in scopes:
            assert kept(scope) == counted(scope), scope  # counted and kept
            assert kept(scope) == counted(scope), scope  # read back
        # The national table takes whole ended quarters from the kept tallies, and counts the rest.
        for scope in [*scopes, Scope(), Scope(START + dt.timedelta(days=10), END - dt.timedelta(days=40))]:
            assert national(scope) == quarterly.quarters(scope), scope
        kept_quarters = set(db.session.scalars(select(StatisticsTally.quarter).distinct()))
    assert kept_quarters == {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}


def test_kept_tallies_are_read_rather_than_counted_again(app: Flask) -> None:
    with app.app_context():
        for _ in range(6):
            factories.referral(submitted_at=FEBRUARY)
        db.session.commit()
        q1 = Scope(*quarter_bounds(2025, 1))
        before = kept(q1)
        rows = db.session.scalar(select(func.count()).select_from(StatisticsTally))
        factories.referral(submitted_at=FEBRUARY)  # written into the ended quarter behind the cache's back
        db.session.commit()
        assert kept(q1).tables == before.tables  # the national table by kind is always counted
        assert db.session.scalar(select(func.count()).select_from(StatisticsTally)) == rows


def test_a_late_decision_counts_in_its_own_quarter_and_drops_a_kept_one(app: Flask) -> None:
    with app.test_request_context():
        caseworker = factories.user("caseworker")
        for _ in range(6):
            factories.referral(submitted_at=FEBRUARY, rg_outcome="positive", rg_decided_at=FEBRUARY)
        late = factories.referral(submitted_at=FEBRUARY, claimed_by_id=caseworker.id, claimed_at=FEBRUARY)
        db.session.commit()
        q1 = Scope(*quarter_bounds(2025, 1))
        before = kept(q1)

        # Decided now (2026-Q1): it counts there, so the kept 2025-Q1 is still right.
        decisions.take(late, caseworker, "rg-positive", "Synthetic reasons.", now=NOW)
        db.session.commit()
        assert kept(q1) == counted(q1) == before

        # A decision dated in a kept quarter (only a moved clock does that) drops the quarter's tallies.
        again = factories.referral(submitted_at=FEBRUARY, claimed_by_id=caseworker.id, claimed_at=FEBRUARY)
        decisions.take(again, caseworker, "rg-positive", "Synthetic reasons.", now=FEBRUARY + dt.timedelta(days=2))
        db.session.commit()
        after = kept(q1)
        assert after == counted(q1)
        assert after != before
        rg = {table.key: table for table in after.tables}["rg_outcome"]
        assert [(cell.key, cell.count) for cell in rg.cells] == [("positive", 7), ("negative", 0)]


def test_seeding_synthetic_referrals_drops_the_kept_tallies(app: Flask) -> None:
    with app.app_context():
        demo_seed.seed(50, START, END, random.Random(4))
        scope = Scope(START, END)
        kept(scope)
        demo_seed.seed(50, START, END, random.Random(5))
        assert kept(scope) == counted(scope)


def test_only_whole_ended_quarters_are_kept(app: Flask) -> None:
    with app.app_context():
        factories.referral(submitted_at=FEBRUARY)
        db.session.commit()
        current = quarter_bounds(2026, 1)
        refused = [
            Scope(START + dt.timedelta(days=1), END),  # not a quarter's first day
            Scope(START, END - dt.timedelta(days=1)),  # not a quarter's last day
            Scope(START, None),  # open: up to now
            Scope(*current),  # the current quarter, which has not ended
        ]
        for scope in refused:
            assert quarterly_cache.tallies(scope, NOW) is None, scope
        assert db.session.scalar(select(func.count()).select_from(StatisticsTally)) == 0
