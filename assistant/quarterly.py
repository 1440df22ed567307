"""The Home Office's quarterly NRM statistics tables, counted from the category columns on ``referrals``.

Only the category columns are read (see assistant/casework/categories.py), never the encrypted
answers. Each table is a function of a ``Scope`` (a range of submission, and optionally one police
force area), so a chart or a per-force view can ask for the same table; the suppression of small
numbers is applied here (assistant/statistics.py), and the rules against differencing are checked
by the caller (assistant/disclosure.py) before any table below national level is asked for.

Each table is made from its *tally* (the raw counts, before suppression): counted live by one SQL
``GROUP BY``, or, for whole ended quarters, summed from the per-quarter tallies kept by
assistant/quarterly_cache.py, so a page over a national year of referrals adds up a few hundred rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Date, String, and_, case, cast, func, or_, select

from .casework import categories, queue
from .casework.categories import (
    AGE_GROUPS,
    EXPLOITATION_PLACES,
    EXPLOITATION_TYPES,
    GENDERS,
    JURISDICTIONS,
    ORGANISATION_TYPES,
)
from .clock import LONDON
from .extensions import db
from .statistics import NOT_RECORDED, Cell, Table, suppress
from .storage.models import Referral, ReferralEvent

TOP_NATIONALITIES = 20  # the published tables name the 20 most common, then "other"
OTHER = "other"
OUTCOMES = ("positive", "negative")
DECISIONS = ("rg", "cg")


@dataclass(frozen=True)
class Scope:
    """Referrals submitted from ``start`` (inclusive) to ``end`` (exclusive), either open; and only
    those naming ``police_force_area`` when it is given."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    police_force_area: str | None = None

    def where(self, moment: Any) -> list[ColumnElement[bool]]:
        found = []
        if self.start is not None:
            found.append(moment >= self.start)
        if self.end is not None:
            found.append(moment < self.end)
        if self.police_force_area is not None:
            found.append(Referral.police_force_area == self.police_force_area)
        return found


@dataclass
class Grid:
    """A table with a column per kind of referral and a row per quarter, as the published table 1."""

    key: str
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)  # (quarter key, a cell per column + total)


@dataclass
class Timeliness:
    """Working days from referral to a decision taking effect, for decisions in the scope."""

    decision: str  # rg | cg
    decided: Cell  # how many, suppressed like any count
    median: float | None = None  # None when too few to show
    percentile_90: float | None = None
    within_target: Cell | None = None  # decided within the target's working days


@dataclass
class Panel:
    """The panel's reviews of negative decisions: upheld or sent back."""

    upheld: Cell
    sent_back: Cell
    uphold_rate: float | None = None  # a share (0 to 1), None when too few to show


Tallies = dict[str, Counter[str]]  # a tally's key -> its raw counts by value
Source = Scope | Tallies  # a table is made from a scope (counted live) or from tallies
NONE = ""  # a tally's key for "not recorded"
LIVE: dict[str, Callable[[Scope], Counter[str]]] = {}  # each tally, counted from the referrals


def tally(source: Source, key: str) -> Counter[str]:
    return LIVE[key](source) if isinstance(source, Scope) else Counter(source.get(key, {}))


def live(scope: Scope) -> Tallies:
    """Every tally the tables below national level are made from, counted from the referrals."""
    return {key: count(scope) for key, count in LIVE.items()}


def _keyed(found: Counter[Any]) -> Counter[str]:
    return Counter({NONE if value is None else str(value): n for value, n in found.items()})


def counts(scope: Scope, column: Any) -> Counter[Any]:
    """Referrals in the scope by the value of one category column (None: not recorded)."""
    query = select(column, func.count()).where(*scope.where(Referral.submitted_at)).group_by(column)
    return Counter(dict(db.session.execute(query).all()))


def quarters(scope: Scope, kept: Callable[[Scope], Tallies | None] | None = None) -> Grid:
    """Referrals by quarter of submission (UK time) and kind: the national table. A whole quarter in
    the scope is taken from ``kept`` (the cache's tallies) when it has them; any other is counted."""
    found = db.session.execute(
        select(func.min(Referral.submitted_at), func.max(Referral.submitted_at)).where(
            *scope.where(Referral.submitted_at)
        )
    ).one()
    kinds = list(categories.kinds())
    grid = Grid("quarter_kind", "quarter_kind", [*kinds, "total"])
    if found[0] is None:
        return grid
    starts = list(_quarter_starts(found[0], found[1]))
    by: Counter[tuple[int, str]] = Counter()
    for index, start in enumerate(starts):
        after = quarter_bounds(*_year_quarter(start))[1]
        whole = (scope.start is None or scope.start <= start) and (scope.end is None or after <= scope.end)
        tallies = kept(Scope(start, after, scope.police_force_area)) if kept and whole else None
        if tallies is None:
            part = Scope(max(start, scope.start or start), min(after, scope.end or after), scope.police_force_area)
            tallies = {"kind": _keyed(counts(part, Referral.kind))}
        by.update({(index, kind): n for kind, n in tallies.get("kind", {}).items()})
    kinds += sorted({kind for _index, kind in by} - set(kinds))  # a kind no loaded flow makes any more
    grid.columns = [*kinds, "total"]
    for index, start in enumerate(starts):
        cells = [Cell(kind, kind, by[(index, kind)]) for kind in kinds]
        total = Cell("total", "total", sum(cell.count for cell in cells))
        if total.count:
            suppress(cells)  # the kinds add up to the quarter's total
            suppress([total], adds_up=False)
            grid.rows.append((quarter_key(start), [*cells, total]))
    return grid


def _year_quarter(start: dt.datetime) -> tuple[int, int]:
    local = start.astimezone(LONDON)
    return local.year, (local.month - 1) // 3 + 1


def quarter_key(start: dt.datetime) -> str:
    local = start.astimezone(LONDON)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def quarter_bounds(year: int, quarter: int) -> tuple[dt.datetime, dt.datetime]:
    """A quarter's first moment and the next quarter's, UK time, as UTC."""
    first = dt.datetime(year, 3 * quarter - 2, 1, tzinfo=LONDON)
    after = dt.datetime(year + quarter // 4, 3 * (quarter % 4) + 1, 1, tzinfo=LONDON)
    return first.astimezone(dt.UTC), after.astimezone(dt.UTC)


def _quarter_starts(first: dt.datetime, last: dt.datetime) -> Iterable[dt.datetime]:
    local = first.astimezone(LONDON)
    year, quarter = local.year, (local.month - 1) // 3 + 1
    while True:
        start, after = quarter_bounds(year, quarter)
        yield start
        if after > last:
            return
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def category(key: str, column: Any, known: tuple[str, ...], recorded: bool = False) -> Callable[[Source], Table]:
    """A table of one category column: every known value (zeros too), any other, then not recorded
    (unless the column is always ``recorded``)."""

    LIVE[key] = lambda scope: _keyed(counts(scope, column))

    def table(source: Source) -> Table:
        found = tally(source, key)
        keys = [*known, *sorted(k for k in found if k != NONE and k not in known)]
        cells = [Cell(k, k, found.get(k, 0)) for k in keys]
        if not recorded:
            cells.append(Cell(NOT_RECORDED, NOT_RECORDED, found.get(NONE, 0)))
        return Table(key, key, suppress(cells))

    return table


def nationalities(source: Source) -> Table:
    """The 20 most common nationalities, then every other one together, then not recorded."""
    found = tally(source, "nationality")
    named = sorted(((n, k) for k, n in found.items() if k != NONE), key=lambda pair: (-pair[0], pair[1]))
    cells = [Cell(k, k, n) for n, k in named[:TOP_NATIONALITIES]]
    cells.append(Cell(OTHER, OTHER, sum(n for n, _k in named[TOP_NATIONALITIES:])))
    cells.append(Cell(NOT_RECORDED, NOT_RECORDED, found.get(NONE, 0)))
    return Table("nationality", "nationality", suppress(cells))


def _exploitation(source: Source) -> Counter[tuple[str, ...]]:
    return Counter({tuple(key.split("+")): n for key, n in tally(source, "exploitation_combination").items()})


def _count_exploitation(scope: Scope) -> Counter[str]:
    """Referrals by their combination of exploitation types (a JSON list, grouped as text), each
    combination written as its types joined by "+"."""
    found: Counter[str] = Counter()
    for text, number in counts(scope, cast(Referral.exploitation, String)).items():
        types = json.loads(text) if text else []
        found["+".join(t for t in EXPLOITATION_TYPES if t in types) or "unknown"] += number
    return found


def exploitation_types(source: Source) -> Table:
    """Each type: a referral of several types counts under each, so the rows do not add up."""
    found: Counter[str] = Counter()
    for combination, number in _exploitation(source).items():
        found.update(dict.fromkeys(combination, number))
    return Table("exploitation", "exploitation", suppress([Cell(k, k, found[k]) for k in EXPLOITATION_TYPES], False))


def exploitation_combinations(source: Source) -> Table:
    """Each combination as its own row, as the Home Office counts them: the rows add up to the total."""
    found = _exploitation(source)
    order = sorted(found, key=lambda c: (len(c), [EXPLOITATION_TYPES.index(t) for t in c]))
    cells = [Cell("+".join(c), "+".join(c), found[c]) for c in order]
    return Table("exploitation_combination", "exploitation_combination", suppress(cells))


def outcomes(decision: str) -> Callable[[Source], Table]:
    """Decisions that took effect in the scope's range (by decision date), positive or negative."""
    decided_at = getattr(Referral, f"{decision}_decided_at")
    outcome = getattr(Referral, f"{decision}_outcome")

    def live(scope: Scope) -> Counter[str]:
        query = select(outcome, func.count()).where(*scope.where(decided_at)).group_by(outcome)
        return Counter({value: number for value, number in db.session.execute(query) if value is not None})

    LIVE[f"{decision}_outcome"] = live

    def table(source: Source) -> Table:
        found = tally(source, f"{decision}_outcome")
        return Table(
            f"{decision}_outcome", f"{decision}_outcome", suppress([Cell(k, k, found.get(k, 0)) for k in OUTCOMES])
        )

    return table


def timeliness(source: Source, decision: str, target: int) -> Timeliness:
    """Median and 90th percentile of working days from referral to decision, and how many within
    ``target``: from the distribution of working days (a count per number of days), so a sum of
    quarters' distributions gives exactly the figures of their decisions together."""
    spread = sorted((int(days), n) for days, n in tally(source, f"{decision}_days").items() if n)
    total = sum(n for _days, n in spread)
    decided = suppress([Cell(decision, decision, total)], adds_up=False)[0]
    found = Timeliness(decision, decided)
    if total and decided.mark is None:
        within = sum(n for days, n in spread if days <= target)
        found.median = _median(spread, total)
        found.percentile_90 = _percentile_90(spread, total)
        cells = suppress([Cell("within", "within", within), Cell("after", "after", total - within)])
        found.within_target = cells[0]
    return found


def _nth(spread: list[tuple[int, int]], index: int) -> int:
    """The ``index``-th (from 0) of the sorted days the distribution stands for."""
    for days, n in spread:
        if index < n:
            return days
        index -= n
    raise IndexError(index)


def _median(spread: list[tuple[int, int]], total: int) -> float:
    middle = total // 2  # as statistics.median
    return _nth(spread, middle) if total % 2 else (_nth(spread, middle - 1) + _nth(spread, middle)) / 2


def _percentile_90(spread: list[tuple[int, int]], total: int) -> float:
    if total == 1:
        return _nth(spread, 0)
    j, delta = divmod(9 * (total - 1), 10)  # as statistics.quantiles(n=10, method="inclusive")[-1]
    return (_nth(spread, j) * (10 - delta) + _nth(spread, j + 1) * delta) / 10


def decision_days(decision: str) -> Callable[[Scope], Counter[str]]:
    """Decisions in the scope by working days from referral, grouped in SQL by the two UK dates (a
    year of decisions is a few thousand rows, not one each)."""
    decided_at = getattr(Referral, f"{decision}_decided_at")

    def live(scope: Scope) -> Counter[str]:
        bounds = db.session.execute(
            select(func.min(Referral.submitted_at), func.max(decided_at)).where(
                decided_at.is_not(None), *scope.where(decided_at)
            )
        ).one()
        found: Counter[str] = Counter()
        if bounds[0] is None:
            return found
        submitted_day = uk_day(Referral.submitted_at, bounds[0], bounds[1])
        decided_day = uk_day(decided_at, bounds[0], bounds[1])
        query = (
            select(submitted_day, decided_day, func.count())
            .where(decided_at.is_not(None), *scope.where(decided_at))
            .group_by(submitted_day, decided_day)
        )
        pairs = [(_as_date(a), _as_date(b), n) for a, b, n in db.session.execute(query)]
        index = _working_day_index(min(a for a, _b, _n in pairs), max(b for _a, b, _n in pairs))
        for a, b, n in pairs:
            found[str(max(0, index[b] - index[a]))] += n
        return found

    return live


def uk_day(column: Any, first: dt.datetime, last: dt.datetime) -> Any:
    """The UK date of a stored moment, in SQL. PostgreSQL knows the zone; SQLite is told when British
    Summer Time began and ended in each year from ``first`` to ``last`` (the last Sundays of March
    and October, at 01:00 UTC)."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone("Europe/London", column), Date)
    summers = []
    for year in range(first.astimezone(LONDON).year, last.astimezone(LONDON).year + 1):
        begins, ends = _last_sunday(year, 3), _last_sunday(year, 10)
        summers.append(and_(column >= begins, column < ends))
    return func.date(column, case((or_(*summers), "+1 hour"), else_="+0 hours"))


def _last_sunday(year: int, month: int) -> dt.datetime:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    day -= dt.timedelta(days=(day.weekday() + 1) % 7)
    return dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _working_day_index(first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Each day from ``first`` to ``last`` with the working days after ``first`` up to it."""
    index: dict[dt.date, int] = {}
    running, day = 0, first
    while day <= last:
        running += queue.is_working_day(day) if day > first else 0
        index[day] = running
        day += dt.timedelta(days=1)
    return index


def _panel_reviews(scope: Scope) -> Counter[str]:
    query = (
        select(ReferralEvent.action, func.count())
        .where(ReferralEvent.action.in_(("uphold", "send-back")), *scope.where(ReferralEvent.at))
        .group_by(ReferralEvent.action)
    )
    if scope.police_force_area is not None:  # only then are the referrals' own columns needed
        query = query.join(Referral, Referral.id == ReferralEvent.referral_id)
    return Counter(dict(db.session.execute(query).all()))


def panel(source: Source) -> Panel:
    """Panel reviews made in the scope's range: upheld or sent back (the rate is shown once both are
    large enough to show)."""
    found = tally(source, "panel")
    upheld, sent_back = suppress(
        [Cell("upheld", "upheld", found.get("uphold", 0)), Cell("sent-back", "sent-back", found.get("send-back", 0))]
    )
    total = upheld.count + sent_back.count
    rate = upheld.count / total if total and not (upheld.mark or sent_back.mark) else None
    return Panel(upheld, sent_back, rate)


# The category tables, in the published order; each below national level.
CATEGORY_TABLES: dict[str, Callable[[Source], Table]] = {
    "age_at_exploitation": category("age_at_exploitation", Referral.age_at_exploitation, AGE_GROUPS, True),
    "gender": category("gender", Referral.gender, GENDERS),
    "nationality": nationalities,
    "exploitation": exploitation_types,
    "exploitation_combination": exploitation_combinations,
    "exploitation_place": category("exploitation_place", Referral.exploitation_place, EXPLOITATION_PLACES),
    "organisation_type": category("organisation_type", Referral.organisation_type, ORGANISATION_TYPES),
    "nation": category("nation", Referral.jurisdiction, JURISDICTIONS),
    "police_force_area": category("police_force_area", Referral.police_force_area, ()),
    "rg_outcome": outcomes("rg"),
    "cg_outcome": outcomes("cg"),
}
LIVE.update(
    kind=lambda scope: _keyed(counts(scope, Referral.kind)),
    nationality=lambda scope: _keyed(counts(scope, Referral.nationality)),
    exploitation_combination=_count_exploitation,
    rg_days=decision_days("rg"),
    cg_days=decision_days("cg"),
    panel=_panel_reviews,
)


@dataclass
class Quarterly:
    """Everything the analysts' quarterly page shows."""

    national: Grid
    tables: list[Table] = field(default_factory=list)  # empty when the range does not allow cuts
    timeliness: list[Timeliness] = field(default_factory=list)
    panel: Panel | None = None


def quarterly(scope: Scope, with_cuts: bool, target: int, tallies: Tallies | None = None) -> Quarterly:
    """The national table always; the cuts, timeliness and panel only when ``with_cuts`` (the caller
    has checked the range against the disclosure rules, assistant/disclosure.py), made from
    ``tallies`` when given (the cache's), else counted live once for every table."""
    found = Quarterly(quarters(scope))
    if with_cuts:
        source = live(scope) if tallies is None else tallies
        found.tables = [table(source) for table in CATEGORY_TABLES.values()]
        found.timeliness = [timeliness(source, decision, target) for decision in DECISIONS]
        found.panel = panel(source)
    return found
