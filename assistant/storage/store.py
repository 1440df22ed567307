"""Queries and writes. Helpers here only flush; the service commits once per unit of work."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeAlias

from sqlalchemy import Update, bindparam, delete, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, scoped_session

from .models import Conversation, FlowVersion, OutboxMessage, Referral, ReferralEvent, Turn

# A plain session, or Flask-SQLAlchemy's request-scoped proxy (``db.session``) that stands for one.
DbSession: TypeAlias = Session | scoped_session[Any]


def get_flow_version(session: DbSession, digest: str) -> FlowVersion | None:
    return session.scalars(select(FlowVersion).where(FlowVersion.digest == digest)).first()


def ensure_flow_version(session: DbSession, flow_id: str, version: str, digest: str, source: str) -> FlowVersion:
    """The stored flow version with this digest, stored now if it is new. Two first starts at once
    may both try to store it: the loser's insert fails in its savepoint, and it reads the winner's row."""
    found = get_flow_version(session, digest)
    if found is None:
        try:
            with session.begin_nested():
                found = FlowVersion(flow_id=flow_id, version=version, digest=digest, source=source)
                session.add(found)
        except IntegrityError:
            found = get_flow_version(session, digest)
            if found is None:  # not a race on the digest after all
                raise
    return found


def get_conversation(session: DbSession, conversation_id: str, for_update: bool = False) -> Conversation | None:
    # by primary key: the ORM's cached primary-key criterion, not a where clause built at each call
    lock = {"of": Conversation} if for_update else None  # not the joined flow version's row
    return session.get(Conversation, conversation_id, with_for_update=lock)


@dataclass(frozen=True, slots=True)
class TurnState:
    """What an event reads of its conversation, and its flow version's digest, as one plain row."""

    id: str
    revision: int
    status: str
    snapshot: dict[str, Any]
    language: str
    answer_languages: dict[str, str]
    organisation_id: int | None
    created_by_id: int | None
    flow_version_id: int
    flow_digest: str


class AccountState(NamedTuple):
    """What a chat event checks of its worker's account (accounts/sessions.py, ``Standing``); all None
    for an account that is no longer there."""

    active: bool | None
    session_version: int | None
    role: str | None
    organisation_id: int | None


def turn_state(session: DbSession, conversation_id: str, user_id: int) -> tuple[TurnState, AccountState] | None:
    """The conversation as an event finds it, unlocked (its turn is stored only if the conversation is
    still at this revision: ``advance``), with the worker's account as it stands now; None if there is
    no such conversation. One prebuilt statement, plain rows, not the ORM's objects: loading them
    through the identity map was a quarter of a turn's CPU, and each statement costs as much again."""
    row = session.connection().execute(_TURN_STATE, {"conversation": conversation_id, "user": user_id}).first()
    if row is None:
        return None
    values = row._mapping
    account = AccountState(*(values[f"user_{column}"] for column in AccountState._fields))
    return TurnState(**{name: values[name] for name in TurnState.__slots__}), account


def advance(session: DbSession, seen: TurnState, changes: dict[str, Any], user_id: int, stands: AccountState) -> bool:
    """Write the conversation's changed columns, and its next revision, if it is still at the
    revision ``seen`` was read at and the worker's account still stands as ``stands`` says. False if
    not (another event changed the conversation since, or the account changed): nothing is written,
    and the caller rolls back and reads again. The row stays locked until the commit, so the rest of
    a turn (its record, a referral) is stored by one event at a time.

    Plain statements built once, with their values as parameters, on the session's own connection:
    the ORM's unit of work was a quarter of a turn's CPU, and building the statements at each turn
    (values, cache keys, the ORM's bulk-update path) cost as much again as running them."""
    new = {f"new_{column}": value for column, value in changes.items()}
    update = _update_conversation(frozenset(changes))
    account = {f"user_{column}": value for column, value in stands._asdict().items()}
    values = {"conversation": seen.id, "seen": seen.revision, "user": user_id, **account, **new}
    return session.connection().execute(update, values).rowcount == 1


def record_turn(session: DbSession, conversation_id: str, turn: dict[str, Any]) -> None:
    """Store a turn with its acknowledgement; a resent event fails here, on the turns' unique key."""
    session.connection().execute(_INSERT_TURN, {"conversation_id": conversation_id, **turn})


_TABLES = Conversation.metadata.tables  # Table objects, as the typed constructors want
_INSERT_TURN = insert(_TABLES["turns"])
_TURN_STATE = (
    select(
        *(_TABLES["conversations"].c[field] for field in TurnState.__dataclass_fields__ if field != "flow_digest"),
        _TABLES["flow_versions"].c.digest.label("flow_digest"),
        *(_TABLES["users"].c[column].label(f"user_{column}") for column in AccountState._fields),
    )
    .join_from(_TABLES["conversations"], _TABLES["flow_versions"])
    .outerjoin(_TABLES["users"], _TABLES["users"].c.id == bindparam("user"))
    .where(_TABLES["conversations"].c.id == bindparam("conversation"))
)


@functools.cache
def _update_conversation(columns: frozenset[str]) -> Update:
    """The update of these columns of one conversation at the revision it was read at, to the next
    revision, while its worker's account stands as it did (a handful of sets over the service's life)."""
    table, users = _TABLES["conversations"], _TABLES["users"]
    values = {column: bindparam(f"new_{column}", type_=table.c[column].type) for column in sorted(columns)}
    at_seen = (table.c.id == bindparam("conversation")) & (table.c.revision == bindparam("seen"))
    account = [users.c[column] == bindparam(f"user_{column}") for column in AccountState._fields]
    stands = exists().where(users.c.id == bindparam("user"), *account)
    return update(table).where(at_seen, stands).values({**values, "revision": table.c.revision + 1})


def get_conversation_by_start_msg(session: DbSession, client_msg_id: str) -> Conversation | None:
    return session.scalars(select(Conversation).where(Conversation.start_msg_id == client_msg_id)).first()


def get_turn(session: DbSession, conversation_id: str, client_msg_id: str) -> Turn | None:
    query = select(Turn).where(Turn.conversation_id == conversation_id, Turn.client_msg_id == client_msg_id)
    return session.scalars(query).first()


def get_referral_for(session: DbSession, conversation_id: str) -> Referral | None:
    return session.scalars(select(Referral).where(Referral.conversation_id == conversation_id)).first()


def reference_taken(session: DbSession, reference: str) -> bool:
    return session.scalars(select(Referral.id).where(Referral.reference == reference)).first() is not None


def list_referrals(session: DbSession) -> list[Referral]:
    return list(session.scalars(select(Referral).order_by(Referral.submitted_at, Referral.id)))


def due_outbox(session: DbSession, now: dt.datetime, limit: int) -> list[OutboxMessage]:
    """Pending messages whose time has come, locked so that two relays never send the same one."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    return list(session.scalars(query))


def purge_drafts(session: DbSession, updated_before: dt.datetime) -> int:
    """Delete drafts untouched since ``updated_before``, with their turns; return how many."""
    stale = select(Conversation.id).where(Conversation.status == "draft", Conversation.updated_at < updated_before)
    ids = list(session.scalars(stale))
    if ids:
        session.execute(delete(Turn).where(Turn.conversation_id.in_(ids)))
        session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
    return len(ids)


def organisation_drafts(session: DbSession, organisation_id: int) -> list[Conversation]:
    query = (
        select(Conversation)
        .where(Conversation.organisation_id == organisation_id, Conversation.status == "draft")
        .order_by(Conversation.updated_at.desc())
    )
    return list(session.scalars(query))


def organisation_referrals(session: DbSession, organisation_id: int) -> list[Referral]:
    query = select(Referral).where(Referral.organisation_id == organisation_id).order_by(Referral.submitted_at.desc())
    return list(session.scalars(query))


def get_referral(session: DbSession, reference: str) -> Referral | None:
    return session.scalars(select(Referral).where(Referral.reference == reference)).first()


def referral_events(session: DbSession, referral_id: int) -> list[ReferralEvent]:
    query = (
        select(ReferralEvent)
        .where(ReferralEvent.referral_id == referral_id)
        .order_by(ReferralEvent.at, ReferralEvent.id)
    )
    return list(session.scalars(query))


def delete_draft(session: DbSession, conversation: Conversation) -> None:
    session.execute(delete(Turn).where(Turn.conversation_id == conversation.id))
    session.delete(conversation)
