"""Each ended quarter's tallies, kept so a page over a national year adds up a few hundred rows.

An ended quarter's counts do not change (docs/data-protection.md, "No moving edge"): the categories
are fixed at submission, and a decision or a panel review is counted in the quarter it took effect,
which is the current quarter when it is recorded. So a quarter's tallies (assistant/quarterly.py)
are counted once, the first time the quarter is asked for after it has ended (or by
``flask stats keep`` or ``flask stats export``), and kept in ``statistics_tallies``. A quarter is kept
with a "filled" row, so a quarter without referrals is not counted again.

What could still change an ended quarter is writing referrals into the past: ``flask demo seed``
drops every kept tally (``forget``), and the decisions service drops the quarter a decision is
dated in (always the current one, never kept, unless the clock is moved back).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from . import disclosure
from .extensions import db
from .quarterly import LIVE, Scope, Tallies, quarter_key
from .storage.models import Referral, StatisticsTally, utcnow

FILLED = "filled"  # a row that says the quarter's tallies are kept


def tallies(scope: Scope, now: dt.datetime | None = None) -> Tallies | None:
    """The scope's tallies summed from its quarters', counting and keeping any quarter not kept yet;
    None when the scope is not whole ended quarters (then the caller counts live)."""
    current = disclosure.quarter_start(now or utcnow())
    end, start = scope.end, scope.start
    if end is None or end > current or not disclosure.is_quarter_start(end):
        return None
    if start is None:  # from the quarter of the first referral
        first = db.session.scalar(select(func.min(Referral.submitted_at)))
        if first is None or first >= end:
            return {}
        start = disclosure.quarter_start(first)
    elif not disclosure.is_quarter_start(start):
        return None
    area = scope.police_force_area or ""
    wanted = _quarters(start, end)
    keys = [key for key, _start, _end in wanted]
    kept = set(
        db.session.scalars(
            select(StatisticsTally.quarter).where(
                StatisticsTally.quarter.in_(keys), StatisticsTally.area == area, StatisticsTally.tally == FILLED
            )
        )
    )
    for key, first_moment, after in wanted:
        if key not in kept:
            _keep(key, area, Scope(first_moment, after, scope.police_force_area))
    found: Tallies = {}
    query = (
        select(StatisticsTally.tally, StatisticsTally.value, func.sum(StatisticsTally.count))
        .where(StatisticsTally.quarter.in_(keys), StatisticsTally.area == area, StatisticsTally.tally != FILLED)
        .group_by(StatisticsTally.tally, StatisticsTally.value)
    )
    for tally, value, number in db.session.execute(query):
        found.setdefault(tally, Counter())[value] = int(number)
    return found


def forget(moment: dt.datetime | None = None) -> None:
    """Drop the kept tallies of the quarter ``moment`` falls in, or every quarter's (no commit)."""
    query = delete(StatisticsTally)
    if moment is not None:
        query = query.where(StatisticsTally.quarter == quarter_key(disclosure.quarter_start(moment)))
    db.session.execute(query)


def _keep(key: str, area: str, scope: Scope) -> None:
    rows = [
        {"quarter": key, "area": area, "tally": tally, "value": value, "count": number}
        for tally, count in LIVE.items()
        for value, number in count(scope).items()
        if number
    ]
    rows.append({"quarter": key, "area": area, "tally": FILLED, "value": "", "count": 1})
    try:
        db.session.execute(insert(StatisticsTally), rows)
        db.session.commit()  # kept at once: another page asking for the same quarter finds it
    except IntegrityError:  # another page kept the same quarter meanwhile: the same counts
        db.session.rollback()


def _quarters(start: dt.datetime, end: dt.datetime) -> list[tuple[str, dt.datetime, dt.datetime]]:
    found = []
    while start < end:
        after = disclosure.quarter_start(start + dt.timedelta(days=100))
        found.append((quarter_key(start), start, after))
        start = after
    return found
