"""What a police liaison sees of their force's reports: counts by exploitation type and month, and a
summary of each report made only of category columns, so no name, reference or free text can reach it.

A report is the force's when a caseworker passed it (a Duty to Notify report, ``police_force``) or,
for an NRM referral, when the referral names the force (``police_force_area``).

The counts follow the analysts' rules (assistant/statistics.py, assistant/disclosure.py): a force
is below national level, so only whole quarters that have ended are shown; counts from 1 to 4 are
suppressed on the page, and exported counts are rounded to the nearest 5.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, or_, select

from . import audit, disclosure
from .accounts.roles import Role
from .casework.categories import EXPLOITATION_TYPES
from .clock import LONDON
from .extensions import db
from .quarterly import quarter_bounds
from .statistics import Cell, suppress
from .storage.models import Referral, User, utcnow
from .storage.unit_of_work import unit_of_work

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
QUARTERS_OFFERED = 8  # the ended quarters a liaison may choose from, newest first


@dataclass(frozen=True)
class Summary:
    """One report without anything that leads to a person: categories and the month only."""

    kind: str
    month: dt.date  # the first day of the month it was submitted, UK time
    exploitation: tuple[str, ...]
    place: str | None  # uk | overseas | uk-and-overseas, or None when not recorded
    force: str
    other_victims: str | None = None  # yes | no | not-sure: whether others were exploited too
    exploiter_contact: str | None = None  # last-month | last-year | over-a-year | not-sure


@dataclass
class ForceReport:
    force: str
    quarter: str  # such as 2026Q3
    months: list[dt.date]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)  # type -> a cell a month, then the quarter
    totals: list[Cell] = field(default_factory=list)  # every report: a cell a month, then the quarter
    summaries: list[Summary] = field(default_factory=list)


def may_see(user: User | None, force: str) -> bool:
    """A police liaison sees their own force's summaries, and nobody else any force's."""
    return user is not None and user.role == Role.POLICE_LIAISON and bool(force) and user.police_force_area == force


def ended_quarters(now: dt.datetime | None = None) -> list[str]:
    """The quarters that have ended (UK time), newest first."""
    start = disclosure.quarter_start(now or utcnow()).astimezone(LONDON)
    year, quarter = start.year, (start.month - 1) // 3 + 1
    found = []
    for _ in range(QUARTERS_OFFERED):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        found.append(f"{year}Q{quarter}")
    return found


def chosen_quarter(text: str | None, now: dt.datetime | None = None) -> str | None:
    """The quarter asked for if it is one offered (the latest ended one when none is asked for)."""
    offered = ended_quarters(now)
    if not text:
        return offered[0]
    text = text.strip().upper()
    return text if QUARTER.match(text) and text in offered else None


def report(force: str, quarter: str) -> ForceReport:
    """The force's counts and summaries for an ended quarter, suppressed for the page."""
    found = QUARTER.match(quarter)
    assert found is not None  # chosen_quarter checked it
    start, end = quarter_bounds(int(found[1]), int(found[2]))
    local = start.astimezone(LONDON)
    months = [dt.date(local.year, local.month + step, 1) for step in range(3)]
    passed = or_(
        Referral.police_force == force,
        and_(Referral.kind == "nrm", Referral.police_force_area == force),
    )
    rows = db.session.execute(
        select(
            Referral.kind,
            Referral.submitted_at,
            Referral.exploitation,
            Referral.exploitation_place,
            Referral.other_victims,
            Referral.exploiter_contact,
        ).where(passed, Referral.submitted_at >= start, Referral.submitted_at < end)
    )
    made = ForceReport(force=force, quarter=quarter, months=months)
    counts = {(kind, month): 0 for kind in EXPLOITATION_TYPES for month in months}
    per_month = dict.fromkeys(months, 0)
    for kind, submitted_at, exploitation, place, others, contact in rows:
        at = submitted_at.astimezone(LONDON)
        month = dt.date(at.year, at.month, 1)
        types = tuple(t for t in EXPLOITATION_TYPES if t in (exploitation or [])) or ("unknown",)
        for name in types:
            counts[(name, month)] += 1
        per_month[month] += 1
        made.summaries.append(Summary(kind, month, types, place, force, others, contact))
    # The order says nothing about when in the month a report came, nor which came first.
    made.summaries.sort(
        key=lambda s: (s.month, s.kind, s.exploitation, s.place or "", s.other_victims or "", s.exploiter_contact or "")
    )
    for name in EXPLOITATION_TYPES:
        cells = [Cell(month.isoformat(), name, counts[(name, month)]) for month in months]
        made.rows.append((name, _with_total(cells, name)))
    made.totals = _with_total([Cell(m.isoformat(), "total", per_month[m]) for m in months], "total")
    return made


def _with_total(cells: list[Cell], label: str) -> list[Cell]:
    """The months, suppressed so that none can be worked out from the quarter's total, then that total."""
    total = Cell("quarter", label, sum(cell.count for cell in cells))
    return [*suppress(cells), *suppress([total], adds_up=False)]


def viewed(force: str, quarter: str, export: bool = False) -> ForceReport:
    """The report, with its view or export in the audit trail (the force and quarter, nothing else)."""
    made = report(force, quarter)
    with unit_of_work():
        audit.record("police-export" if export else "police-view", f"police:{force}:{quarter}")
    return made


def rounded(cell: Cell) -> str:
    """An exported count: rounded to the nearest 5, as every export is; a suppressed one stays so."""
    return cell.shown if cell.mark else str(disclosure.rounded(cell.count))


def force_label(force: str, locale: str) -> str:
    return str(current_app.extensions["lookups"].label("police-forces", force, locale))
