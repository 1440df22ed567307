"""The single expert unit's intake queue: what a caseworker can work on, how long it has waited, and
claiming the next referral so that two caseworkers never get the same one.

Days waiting are working days (weekends and England's bank holidays aside: the unit's working days)
since the day of submission, in UK time. The Reasonable Grounds decision is due within
RG_TARGET_WORKING_DAYS: a referral awaiting it longer than that is overdue.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

import holidays
from flask import current_app
from sqlalchemy import Select, String, cast, or_, select
from sqlalchemy.orm import defer, selectinload

from ..clock import LONDON
from ..engine.integration import is_kind
from ..extensions import db
from ..storage.models import Referral, User, utcnow
from . import categories, decisions, lifecycle

WAITING = ("overdue", "due-soon")


@dataclass(frozen=True)
class Filters:
    """What the queue is narrowed to; None is "any"."""

    kind: str | None = None
    age_group: str | None = None
    jurisdiction: str | None = None
    exploitation: str | None = None  # one of categories.EXPLOITATION_TYPES
    waiting: str | None = None  # "overdue" (past the RG target) or "due-soon" (due today or the next working day)

    @classmethod
    def from_args(cls, args: Mapping[str, str], kinds: tuple[str, ...] | None = None) -> Filters:
        """From a query string or form; values outside the known ones are ignored. ``kinds`` are the
        known kinds of referral (categories.kinds()); without them, any name a kind can have."""

        def pick(name: str, allowed: tuple[str, ...]) -> str | None:
            value = args.get(name) or None
            return value if value in allowed else None

        kind = args.get("kind") or ""
        known = kind in kinds if kinds is not None else is_kind(kind)
        return cls(
            kind=kind if known else None,
            age_group=pick("age_group", categories.AGE_GROUPS),
            jurisdiction=pick("jurisdiction", categories.JURISDICTIONS),
            exploitation=pick("exploitation", categories.EXPLOITATION_TYPES),
            waiting=pick("waiting", WAITING),
        )

    def as_args(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


@dataclass(frozen=True)
class QueueItem:
    referral: Referral
    days_waiting: int
    overdue: bool


@functools.lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after ``start`` up to and including ``end`` (0 on the day itself)."""
    days, day = 0, start + dt.timedelta(days=1)
    while day <= end:
        days += is_working_day(day)
        day += dt.timedelta(days=1)
    return days


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def target() -> int:
    return int(current_app.config["RG_TARGET_WORKING_DAYS"])


def days_waiting(referral: Referral, now: dt.datetime | None = None) -> int:
    return working_days_between(local_date(referral.submitted_at), local_date(now or utcnow()))


def is_overdue(referral: Referral, days: int) -> bool:
    """Only a Reasonable Grounds decision has a target."""
    return referral.status == lifecycle.AWAITING_RG and days > target()


def listing(filters: Filters, now: dt.datetime | None = None) -> list[QueueItem]:
    """Every referral a caseworker can work on now that matches ``filters``, oldest first."""
    now = now or utcnow()
    query = _matching(filters, now).options(defer(Referral.answers), selectinload(Referral.claimed_by))
    items = []
    for referral in db.session.scalars(query):
        days = days_waiting(referral, now)
        items.append(QueueItem(referral, days, is_overdue(referral, days)))
    return items


def claimed_by(user: User, now: dt.datetime | None = None) -> list[QueueItem]:
    """The referrals ``user`` holds, oldest first."""
    now = now or utcnow()
    query = (
        select(Referral)
        .where(Referral.claimed_by_id == user.id)
        .order_by(Referral.submitted_at, Referral.id)
        .options(defer(Referral.answers))
    )
    items = []
    for referral in db.session.scalars(query):
        days = days_waiting(referral, now)
        items.append(QueueItem(referral, days, is_overdue(referral, days)))
    return items


def claim_next(user: User, filters: Filters, now: dt.datetime | None = None) -> Referral | None:
    """Claim the oldest unclaimed referral matching ``filters`` for ``user``; None if there is none.

    On PostgreSQL the row is locked and rows other transactions hold are skipped, so concurrent
    callers each get a different referral; on SQLite every transaction already holds the write lock
    (storage/database.py). The caller commits."""
    query = (
        _matching(filters, now or utcnow())
        .where(Referral.claimed_by_id.is_(None))
        .limit(1)
        .with_for_update(skip_locked=True, of=Referral)
        .execution_options(populate_existing=True)
    )
    referral = db.session.scalars(query).first()
    if referral is None:
        return None
    decisions.claim(referral, user)
    db.session.flush()
    return referral


def _matching(filters: Filters, now: dt.datetime) -> Select[Referral]:
    """The query for workable referrals matching ``filters``, oldest first: every filter is SQL."""
    query = select(Referral).where(
        Referral.status.in_(lifecycle.CASEWORK_STATES),
        or_(Referral.status != lifecycle.RG_POSITIVE, Referral.recovery_ends_at <= now),
    )
    if filters.kind:
        query = query.where(Referral.kind == filters.kind)
    if filters.age_group:
        query = query.where(Referral.age_group == filters.age_group)
    if filters.jurisdiction:
        query = query.where(Referral.jurisdiction == filters.jurisdiction)
    if filters.exploitation in categories.EXPLOITATION_TYPES:
        # The column is a JSON list of these fixed names (no quotes, % or _ in any), stored as
        # '["labour", "sexual"]' on both databases: the quoted name matches one element exactly.
        query = query.where(cast(Referral.exploitation, String).like(f'%"{filters.exploitation}"%'))
    if filters.waiting:
        query = _waiting(query, filters.waiting, local_date(now))
    return query.order_by(Referral.submitted_at, Referral.id)


def _waiting(query: Select[Referral], waiting: str, today: dt.date) -> Select[Referral]:
    """Days waiting as bounds on the submission time: waited at least n days <=> submitted before
    the start (UK time) of the n-th working day counting back from today."""
    query = query.where(Referral.status == lifecycle.AWAITING_RG)
    if waiting == "overdue":
        return query.where(Referral.submitted_at < _start_of_nth_working_day_back(today, target() + 1))
    query = query.where(Referral.submitted_at >= _start_of_nth_working_day_back(today, target() + 1))
    if target() > 1:
        query = query.where(Referral.submitted_at < _start_of_nth_working_day_back(today, target() - 1))
    return query


def _start_of_nth_working_day_back(today: dt.date, n: int) -> dt.datetime:
    day, seen = today, 0
    while True:
        if is_working_day(day):
            seen += 1
            if seen == n:
                break
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON).astimezone(dt.UTC)
