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
categories of the referrals submitted in between. Exports are audited; docs/data-protection.md
says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..access import roles_required
from ..casework.categories import AGE_GROUPS, EXPLOITATION_TYPES, JURISDICTIONS
from ..casework.lifecycle import STATES
from ..extensions import db
from ..storage.models import Referral
from .dates import bounds, date_range
from .labels import AGE_GROUP, EXPLOITATION, JURISDICTION, KIND, STATUS
from .staff import page

statistics = Blueprint("statistics", __name__, url_prefix="/statistics")
THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are suppressed
SMALL, WITHHELD = "small", "withheld"
KINDS = ("nrm", "dtn")
NOT_RECORDED = "not-recorded"
QUARTERS = {
    1: _l("January to March %(year)s"),
    2: _l("April to June %(year)s"),
    3: _l("July to September %(year)s"),
    4: _l("October to December %(year)s"),
}


@statistics.before_request
@roles_required("analyst")
def _analysts_only() -> None:
    """Every page here is for signed-in analysts."""


@dataclass
class Cell:
    key: str
    label: str
    count: int
    mark: str | None = None  # SMALL or WITHHELD when the count is not shown

    @property
    def shown(self) -> str:
        if self.mark == SMALL:
            return _("fewer than 5")
        if self.mark == WITHHELD:
            return _("withheld")
        return str(self.count)


@dataclass
class Table:
    key: str
    caption: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Tallies:
    total: Cell
    tables: list[Table]


@statistics.get("/")
def overview() -> str | tuple[str, int]:
    period, problem = date_range(request.args)
    if problem is not None:
        field_id, message = problem
        return page("statistics/overview.html", tallies=None, period=period, error=message, error_field=field_id), 400
    return page("statistics/overview.html", tallies=tallies(*bounds(period)), period=period)


@statistics.get("/export.csv")
def export() -> Response | tuple[str, int]:
    period, problem = date_range(request.args)
    if problem is not None:
        field_id, message = problem
        return page("statistics/overview.html", tallies=None, period=period, error=message, error_field=field_id), 400
    counted = tallies(*bounds(period))
    audit.record("export", f"statistics:{period['from']}..{period['to']}")
    db.session.commit()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Table"), _("Category"), _("Label"), _("Count")])
    writer.writerow(["total", "total", _("All referrals"), counted.total.shown])
    for table in counted.tables:
        for cell in table.cells:
            writer.writerow([table.key, cell.key, cell.label, cell.shown])
    name = "-".join(["nrm-statistics", *(value for value in (period["from"], period["to"]) if value)])
    # A byte-order mark, so spreadsheet programs read the labels of every language as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def tallies(start: dt.datetime | None, end: dt.datetime | None) -> Tallies:
    """The suppressed tables of referrals submitted from ``start`` (inclusive) to ``end`` (exclusive)."""
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
        utc = submitted.astimezone(dt.UTC) if submitted.tzinfo else submitted  # SQLite's are naive UTC
        quarters[(utc.year, (utc.month - 1) // 3 + 1)] += 1
    jurisdictions = {**JURISDICTION, NOT_RECORDED: _l("Not recorded")}
    tables = [
        _table("kind", _("By type of referral"), kinds, KINDS, KIND),
        _table("age_group", _("By age group"), ages, AGE_GROUPS, AGE_GROUP),
        _table("jurisdiction", _("By part of the UK"), places, (*JURISDICTIONS, NOT_RECORDED), jurisdictions),
        _table(
            "exploitation",
            _("By type of exploitation (a referral may have several)"),
            exploitation,
            EXPLOITATION_TYPES,
            EXPLOITATION,
            adds_up=False,
        ),
        _table("status", _("By status"), statuses, STATES, STATUS),
        Table(
            "quarter",
            _("By quarter submitted"),
            [
                Cell(f"{year}-Q{quarter}", str(QUARTERS[quarter]) % {"year": year}, count)
                for (year, quarter), count in sorted(quarters.items())
            ],
        ),
    ]
    tables[-1].cells = suppress(tables[-1].cells)
    return Tallies(suppress([Cell("total", _("All referrals"), total)], adds_up=False)[0], tables)


def _table(
    key: str, caption: str, counts: Counter[str], known: tuple[str, ...], labels: dict[str, Any], adds_up: bool = True
) -> Table:
    """Every known category (zeros too), then any value the code does not know yet."""
    keys = [*known, *sorted(set(counts) - set(known))]
    cells = [Cell(k, str(labels.get(k, k)), counts.get(k, 0)) for k in keys]
    return Table(key, caption, suppress(cells, adds_up))


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
