"""The audit trail: who did what, when, to which referral or account (never free text), and the
administrators' search of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_login import current_user
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import selectinload

from .accounts.roles import Actor
from .extensions import db
from .storage.models import AuditEntry, User

# Every action the trail records; docs/data-protection.md lists what each means.
ACTIONS = frozenset(
    {
        "sign-in",
        "sign-in-failed",
        "sign-in-throttled",
        "sign-out",
        "view",
        "claim",
        "release",
        "export",
        "rg-positive",
        "rg-negative",
        "cg-positive",
        "cg-negative",
        "pass-to-police",
        "uphold",
        "send-back",
        "reconsider",
        "draft-start",
        "submit",
        "draft-delete",
        "evidence-upload",
        "evidence-refused",
        "evidence-download",
        "user-create",
        "user-disable",
        "user-enable",
        "user-sign-out",
        "api-read",
        "api-acknowledge",
        "api-client-create",
        "api-client-disable",
        "user-languages",
        "translation-propose",
        "translation-review",
        "translation-export",
        "police-view",
        "police-export",
        "user-police-force",
    }
)


def record(
    action: str, target: str | None = None, outcome: str = "ok", actor: Actor | None = None, by_staff: bool = True
) -> AuditEntry:
    """Add an entry to the current unit of work (it commits with what it reports).

    The actor is the signed-in member of staff unless given; ``by_staff=False`` records no one (an
    API client, named in the target, even if a staff cookie came with its request)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is None and by_staff and current_user and current_user.is_authenticated:
        actor = current_user.user
    entry = AuditEntry(
        action=action,
        target=target,
        outcome=outcome,
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
    )
    db.session.add(entry)
    return entry


class BadFilter(ValueError):
    """A filter of the audit trail that cannot be used: ``field`` is the one at fault."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class Filters:
    """What the trail is narrowed to: an action, an actor, a target, and a time range."""

    action: str = ""
    actor: str = ""  # a user number, "user:<number>" or an email address
    target: str = ""  # matched whole, whatever the case
    start: dt.datetime | None = None  # inclusive
    end: dt.datetime | None = None  # exclusive

    def check(self) -> None:
        """Raise BadFilter for the first filter that cannot be used."""
        if self.action and self.action not in ACTIONS:
            raise BadFilter("action")
        if self.actor:
            actor = self.actor.lower().removeprefix("user:")
            if not actor.isdigit() and "@" not in actor:
                raise BadFilter("actor")

    def conditions(self) -> list[ColumnElement[bool]]:
        self.check()
        conditions: list[ColumnElement[bool]] = []
        if self.action:
            conditions.append(AuditEntry.action == self.action)
        if self.actor:
            actor = self.actor.lower().removeprefix("user:")
            if actor.isdigit():
                conditions.append(AuditEntry.actor_id == int(actor))
            else:
                conditions.append(AuditEntry.actor_id.in_(select(User.id).where(User.email == actor)))
        if self.target:
            conditions.append(func.lower(AuditEntry.target) == self.target[:64].lower())  # NRM-… or nrm-…
        if self.start is not None:
            conditions.append(AuditEntry.at >= self.start)
        if self.end is not None:
            conditions.append(AuditEntry.at < self.end)
        return conditions


@dataclass(frozen=True)
class Page:
    rows: list[Any]  # (AuditEntry, User or None), newest first
    newer: int | None  # the id to page back from towards newer entries, if there are any
    older: int | None  # the id to page on from towards older entries, if there are any


def search(filters: Filters, before: int | None = None, after: int | None = None, size: int = 50) -> Page:
    """A page of the trail matching ``filters``, newest first: the newest, or those older than entry
    ``before``, or those newer than entry ``after``. Raises BadFilter."""
    conditions = filters.conditions()
    # Entries without a staff member (failed sign-ins, API calls, the command line) are kept by the
    # outer join; the user's organisation is loaded apart, as an inner join here would drop them.
    query = (
        select(AuditEntry, User)
        .outerjoin(User, AuditEntry.actor_id == User.id)
        .options(selectinload(User.organisation))
        .where(*conditions)
    )
    if after is not None:  # the page of newer entries: fetched oldest first, shown newest first
        found = db.session.execute(query.where(AuditEntry.id > after).order_by(AuditEntry.id).limit(size))
        rows = list(found)[::-1]
    else:
        if before is not None:
            query = query.where(AuditEntry.id < before)
        rows = list(db.session.execute(query.order_by(AuditEntry.id.desc()).limit(size)))
    newer = older = None
    if rows:
        if _any(conditions, AuditEntry.id > rows[0][0].id):
            newer = rows[0][0].id
        if _any(conditions, AuditEntry.id < rows[-1][0].id):
            older = rows[-1][0].id
    return Page(rows, newer, older)


def _any(conditions: list[ColumnElement[bool]], extra: ColumnElement[bool]) -> bool:
    return bool(db.session.scalar(select(exists().where(*conditions, extra))))
