"""Anonymised statistics for analysts: counts of submitted referrals by category, never answers.

Only the category columns kept in the clear on ``referrals`` are read (kind, age group,
jurisdiction, exploitation types, status, time of submission); the encrypted answers are never
selected. Small numbers are suppressed so that no one person can be singled out:

* a count from 1 to 4 shows as "fewer than 5";
* in a table whose rows add up to the total (every table but exploitation types, where a referral
  may count under several), a single suppressed count could be worked out by subtraction, so the
  next smallest count is withheld too, until that is no longer possible;
* the total itself is suppressed when it is from 1 to 4.

What this does not stop: comparing two date ranges that differ by a few days can reveal the
categories of the referrals submitted in between. Exports are audited (``export``);
docs/data-protection.md says so.

The tables come keyed: the statistics pages put words to the keys (labels and captions).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from . import audit
from .casework import categories
from .casework.categories import AGE_GROUPS, EXPLOITATION_TYPES, JURISDICTIONS
from .casework.lifecycle import STATES
from .extensions import db
from .storage.models import Referral
from .storage.unit_of_work import unit_of_work

THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are suppressed
SMALL, WITHHELD = "small", "withheld"
NOT_RECORDED = "not-recorded"
SHOWN = {SMALL: _l("fewer than 5"), WITHHELD: _l("withheld")}


@dataclass
class Cell:
    key: str
    label: str
    count: int
    mark: str | None = None  # SMALL or WITHHELD when the count is not shown

    @property
    def shown(self) -> str:
        return str(SHOWN[self.mark]) if self.mark else str(self.count)


@dataclass
class Table:
    key: str
    caption: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Tallies:
    total: Cell
    tables: list[Table]


def tallies(start: dt.datetime | None, end: dt.datetime | None) -> Tallies:
    """The suppressed tables of referrals submitted from ``start`` (inclusive) to ``end`` (exclusive).

    Each cell's label is its key (a quarter's is ``(year, quarter)`` as "2025-Q1"), each table's caption
    its key, for the pages to word."""
    query = select(
        Referral.kind,
        Referral.age_group,
        Referral.jurisdiction,
        Referral.exploitation,
        Referral.status,
        Referral.submitted_at,
    )  # the category columns only: never the answers
    if start is not None:
        query = query.where(Referral.submitted_at >= start)
    if end is not None:
        query = query.where(Referral.submitted_at < end)
    kinds: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    places: Counter[str] = Counter()
    exploitation: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    quarters: Counter[tuple[int, int]] = Counter()
    total = 0
    for kind, age, place, types, status, submitted in db.session.execute(query):
        total += 1
        kinds[kind] += 1
        ages[age] += 1
        places[place or NOT_RECORDED] += 1
        exploitation.update(set(types or ["unknown"]))
        statuses[status] += 1
        utc = submitted.astimezone(dt.UTC)  # UTCDateTime reads every database's moments back with their zone
        quarters[(utc.year, (utc.month - 1) // 3 + 1)] += 1
    tables = [
        _table("kind", kinds, categories.kinds()),
        _table("age_group", ages, AGE_GROUPS),
        _table("jurisdiction", places, (*JURISDICTIONS, NOT_RECORDED)),
        _table("exploitation", exploitation, EXPLOITATION_TYPES, adds_up=False),
        _table("status", statuses, STATES),
        Table(
            "quarter",
            "quarter",
            suppress(
                [
                    Cell(f"{year}-Q{quarter}", f"{year}-Q{quarter}", count)
                    for (year, quarter), count in sorted(quarters.items())
                ]
            ),
        ),
    ]
    return Tallies(suppress([Cell("total", "total", total)], adds_up=False)[0], tables)


def export(start: dt.datetime | None, end: dt.datetime | None, days: tuple[str, str]) -> Tallies:
    """The tables for an export, which the audit trail records with the ``days`` typed (either may be empty)."""
    counted = tallies(start, end)
    with unit_of_work():
        audit.record("export", f"statistics:{days[0]}..{days[1]}")
    return counted


def _table(key: str, counts: Counter[str], known: tuple[str, ...], adds_up: bool = True) -> Table:
    """Every known category (zeros too), then any value the code does not know yet."""
    keys = [*known, *sorted(set(counts) - set(known))]
    return Table(key, key, suppress([Cell(k, k, counts.get(k, 0)) for k in keys], adds_up))


def suppress(cells: list[Cell], adds_up: bool = True) -> list[Cell]:
    """Mark counts from 1 to 4 SMALL; where the cells add up to a known total, withhold the next
    smallest counts until no suppressed count can be worked out by subtraction."""
    for cell in cells:
        cell.mark = SMALL if 0 < cell.count < THRESHOLD else None
    while adds_up and _recoverable([c for c in cells if c.mark]):
        shown = [c for c in cells if c.mark is None and c.count > 0]
        if not shown:
            break
        min(shown, key=lambda c: c.count).mark = WITHHELD
    return cells


def _recoverable(hidden: list[Cell]) -> bool:
    """Whether someone who knows the total could tell each hidden count: it is the only one hidden,
    or they are all small and their sum leaves one possibility (all 1s or all 4s)."""
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    if all(c.mark == SMALL for c in hidden):
        hidden_sum = sum(c.count for c in hidden)
        return hidden_sum in (len(hidden), (THRESHOLD - 1) * len(hidden))
    return False
