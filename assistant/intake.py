"""Intake records: the referral as the central unit receives it (README "Intake format"), read by
the command line and, page by page, by clients of the intake API (docs/openapi.yaml)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, and_, literal, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from . import audit
from .evidence import access
from .extensions import db
from .storage import store
from .storage.models import ApiAcknowledgement, Referral, utcnow
from .storage.unit_of_work import unit_of_work

# A cursor is "c" and a referral id in hex, with no leading zeros: any such string is a valid cursor
# (one past the end of the queue gives an empty page), so docs/openapi.yaml can say exactly what is.
CURSOR = re.compile(r"c(0|[1-9a-f][0-9a-f]{0,14})")  # below 2**60: compared as a BIGINT, whatever the id column


class SubmissionsInFlight(Exception):
    """Waiting for submissions being written took longer than the lock timeout: try again shortly."""


@dataclass(frozen=True)
class Page:
    referrals: list[dict[str, Any]]  # intake records, with the status and this client's acknowledgement
    next_cursor: str  # after the last referral of the page, or the same cursor when it is empty


def iso(moment: dt.datetime | None) -> str | None:
    """A moment as the intake format writes it: ISO 8601 in UTC, with a Z."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def intake_record(referral: Referral) -> dict[str, Any]:
    return {
        "reference": referral.reference,
        "kind": referral.kind,
        "conversation_id": referral.conversation_id,
        "flow_version": referral.flow_version,
        "language": referral.language,
        "answer_languages": referral.answer_languages,
        "submitted_at": iso(referral.submitted_at),
        "answers": referral.answers,
        "files": [f.record() for f in access.listing(referral)],
    }


def intake_records() -> list[dict[str, Any]]:
    return [intake_record(r) for r in store.list_referrals(db.session)]


def export_records() -> list[dict[str, Any]]:
    """Every intake record, the queue leaving the service in full: an export, on the audit trail."""
    records = intake_records()
    with unit_of_work():
        audit.record("export", f"cli:intake-list:{len(records)}")
    return records


def encode_cursor(referral_id: int) -> str:
    return f"c{referral_id:x}"


def decode_cursor(cursor: str) -> int | None:
    """The referral id a cursor stands for, or None when it is not a cursor."""
    match = CURSOR.fullmatch(cursor)
    return int(match.group(1), 16) if match else None


def read_page(
    client_id: int, client_target: str, after: int, limit: int, unacknowledged: bool, lock_timeout: str
) -> Page:
    """Up to ``limit`` referrals after referral id ``after`` in submission order, each with this client's
    acknowledgement (only those it has not acknowledged, if ``unacknowledged``); the read is audited.

    Polled with the last ``next_cursor`` for ever, every referral comes exactly once. Raises
    SubmissionsInFlight when waiting for them takes longer than ``lock_timeout`` (PostgreSQL's syntax)."""
    try:
        with unit_of_work():
            _wait_for_submissions_in_flight(lock_timeout)
            acknowledgement = and_(
                ApiAcknowledgement.referral_id == Referral.id, ApiAcknowledgement.client_id == client_id
            )
            query = (
                select(Referral, ApiAcknowledgement.at)
                .outerjoin(ApiAcknowledgement, acknowledgement)
                .where(Referral.id > literal(after, BigInteger))
                .order_by(Referral.id)
                .limit(limit)
            )
            if unacknowledged:
                query = query.where(ApiAcknowledgement.id.is_(None))
            rows = db.session.execute(query).all()
            listed = [
                {**intake_record(referral), "status": referral.status, "acknowledged_at": iso(at)}
                for referral, at in rows
            ]
            last = rows[-1][0].id if rows else after
            audit.record("api-read", client_target, by_staff=False)
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        raise SubmissionsInFlight from error
    return Page(listed, encode_cursor(last))


def acknowledge(client_id: int, client_target: str, reference: str) -> tuple[str, dt.datetime | None] | None:
    """Record that the client has taken the referral into its own system (idempotent): the referral's
    reference and when it was first acknowledged, or None if there is no such referral."""
    with unit_of_work():
        referral = db.session.scalar(select(Referral).where(Referral.reference == reference.upper()))
        if referral is None:
            return None
        at = _acknowledged_at(client_id, referral.id)
        if at is None:
            acknowledgement = ApiAcknowledgement(client_id=client_id, referral_id=referral.id, at=utcnow())
            try:
                with db.session.begin_nested():
                    db.session.add(acknowledgement)
            except IntegrityError:  # a simultaneous request of this client acknowledged it first
                at = _acknowledged_at(client_id, referral.id)
            else:
                at = acknowledgement.at
                audit.record("api-acknowledge", referral.reference, by_staff=False)
        return referral.reference, at


def _acknowledged_at(client_id: int, referral_id: int) -> dt.datetime | None:
    return db.session.scalar(
        select(ApiAcknowledgement.at).where(
            ApiAcknowledgement.client_id == client_id, ApiAcknowledgement.referral_id == referral_id
        )
    )


def _wait_for_submissions_in_flight(lock_timeout: str) -> None:
    """Make sure no referral can later appear behind the page about to be read.

    On PostgreSQL, ids come from a sequence when a row is inserted, but transactions commit in any
    order: id 7 may become visible after id 8, and a client whose cursor had passed 8 would never see
    7. A SHARE lock on the table waits for every transaction that has written to it and holds new
    writers back until this transaction ends, so every id below the last one read is committed, or
    never will be. SQLite writes one transaction at a time, in id order, so needs nothing."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(text(f"SET LOCAL lock_timeout = '{lock_timeout}'"))
    db.session.execute(text("LOCK TABLE referrals IN SHARE MODE"))
