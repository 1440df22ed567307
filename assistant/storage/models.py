"""The database schema. Personal data lives only in encrypted columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .crypto import EncryptedJSON

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment in UTC, always read back with its zone: PostgreSQL keeps the zone, SQLite keeps none,
    so on SQLite it is written as naive UTC and read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None or value.tzinfo is None:
            return value
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FlowVersion(Base):
    """The exact text of a flow version used by at least one conversation."""

    __tablename__ = "flow_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    # Loaded only when read (a conversation on a version whose file has changed): every event joins its
    # conversation's version for the digest, and the text is tens of kilobytes.
    source: Mapped[str] = mapped_column(Text, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<FlowVersion {self.flow_id}@{self.version} {self.digest[:8]}>"


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted
    state: Mapped[str] = mapped_column(String(100))  # a question id, "review" or "submitted"
    snapshot: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("conversations.snapshot"))
    language: Mapped[str] = mapped_column(String(16))
    # The language each answer was given in, by question id (no personal data: codes only).
    answer_languages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    start_msg_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The first responder's organisation owns the draft: any of its staff may carry it on.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # One more at every change: a chat turn is worked out from a read, then written only if the
    # conversation is still at the revision it read (store.advance), else worked out again.
    revision: Mapped[int] = mapped_column(server_default=text("0"))

    flow_version: Mapped[FlowVersion] = relationship(lazy="joined", innerjoin=True)

    # the ORM's own writes (a language change) count and check it too
    __mapper_args__ = {"version_id_col": revision}

    def __repr__(self) -> str:
        return f"<Conversation {self.id} {self.status} at {self.state}>"


class Turn(Base):
    """One applied client event and the acknowledgement it got, so a resent event gets it again."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("conversation_id", "client_msg_id", name="uq_turns_conversation_msg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    client_msg_id: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(16))
    question_id: Mapped[str | None] = mapped_column(String(100))
    ack: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("turns.ack"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Turn {self.conversation_id} {self.event} {self.client_msg_id}>"


# The statistics' covering indexes on referrals (name -> columns), also made by migration 0006.
STATISTICS_INDEXES = {
    "kind": ("submitted_at", "kind"),
    "age": ("submitted_at", "age_at_exploitation"),
    "gender": ("submitted_at", "gender"),
    "nationality": ("submitted_at", "nationality"),
    "place": ("submitted_at", "exploitation_place"),
    "organisation": ("submitted_at", "organisation_type"),
    "nation": ("submitted_at", "jurisdiction"),
    "force": ("submitted_at", "police_force_area"),
    "rg": ("rg_decided_at", "rg_outcome", "submitted_at"),
    "cg": ("cg_decided_at", "cg_outcome", "submitted_at"),
}


class Referral(Base):
    """A submitted referral in the central unit's intake queue, and where its decisions stand.

    The answers are encrypted. The few facts the queue filters on (kind, age group, jurisdiction,
    exploitation types, police force) are categories, not personal data, so they are kept in the
    clear, as the published statistics are."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_status_submitted", "status", "submitted_at"),
        Index("ix_referrals_submitted_at", "submitted_at"),
        # Statistics: each table is a GROUP BY over a range of submission (or decision) times; an
        # index holding both columns answers it without reading the rows (see STATISTICS_INDEXES).
        *(Index(f"ix_referrals_stats_{name}", *columns) for name, columns in STATISTICS_INDEXES.items()),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # nrm | dtn
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), unique=True)
    flow_id: Mapped[str] = mapped_column(String(64))
    flow_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(16))
    answer_languages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(32))  # a state of assistant/casework/lifecycle.py
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("referrals.answers"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    age_group: Mapped[str] = mapped_column(String(8), default="unknown", server_default="unknown")  # or adult, child
    jurisdiction: Mapped[str | None] = mapped_column(String(20))  # england | wales | scotland | northern-ireland
    exploitation: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    police_force: Mapped[str | None] = mapped_column(String(64))  # a Duty to Notify report went to this force
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Who proposed the negative decision now before the panel (the panel member must be someone else).
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recovery_ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # --- Statistics categories (assistant/casework/categories.py fills them at submission; the
    # decisions service keeps the outcomes): the published tables' dimensions, so the statistics
    # never read the answers. None means "not recorded".
    age_at_exploitation: Mapped[str] = mapped_column(String(8), default="unknown", server_default="unknown")
    gender: Mapped[str | None] = mapped_column(String(8))  # female | male | other
    nationality: Mapped[str | None] = mapped_column(String(64))  # a value of the nationalities list
    exploitation_place: Mapped[str | None] = mapped_column(String(16))  # uk | overseas | uk-and-overseas
    organisation_type: Mapped[str | None] = mapped_column(String(32))  # government | local-authority | police | ngo
    police_force_area: Mapped[str | None] = mapped_column(String(64))  # the force the referral names
    rg_decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # when the RG outcome took effect
    rg_outcome: Mapped[str | None] = mapped_column(String(8))  # positive | negative
    cg_decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cg_outcome: Mapped[str | None] = mapped_column(String(8))
    synthetic: Mapped[bool] = mapped_column(default=False, server_default=text("false"))  # made by `flask demo seed`
    # For a police force's summaries (assistant/police.py); migration 0010.
    other_victims: Mapped[str | None] = mapped_column(String(8))  # yes | no | not-sure
    exploiter_contact: Mapped[str | None] = mapped_column(String(16))  # last-month | last-year | over-a-year | not-sure
    # --- end of the statistics categories

    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])

    def __repr__(self) -> str:
        return f"<Referral {self.reference} {self.kind} {self.status}>"


class ReferralEvent(Base):
    """One step of a referral's status timeline: submitted, claimed, a decision, a panel review..."""

    __tablename__ = "referral_events"
    __table_args__ = (Index("ix_referral_events_action_at", "action", "at"),)  # the panel's reviews, for statistics

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(32))  # the referral's status after this step
    # Reasons or new information: free text about the person, so encrypted.
    detail: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON("referral_events.detail"))

    referral: Mapped[Referral] = relationship()
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ReferralEvent {self.referral_id} {self.action}>"


class AuditEntry(Base):
    """Who did what, when: append-only (database triggers refuse updates and deletes).

    Never free text: an action name, a target such as a reference or a user id, and an outcome."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="ok")

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.target}>"


APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$",
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    ],
}
for _dialect, _statements in APPEND_ONLY.items():
    for _statement in _statements:
        event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))


class ApiClient(Base):
    """An external case-management system allowed to read the intake API with a bearer token."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token; never the token
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<ApiClient {self.name}>"


class ApiAcknowledgement(Base):
    """A client has taken a referral into its own system."""

    __tablename__ = "api_acknowledgements"
    __table_args__ = (UniqueConstraint("client_id", "referral_id", name="uq_api_acknowledgements_client_referral"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutboxMessage(Base):
    """A message to hand to the broker, written in the same transaction as what it reports.

    A relay sends it after the commit and retries until the broker confirms it (at least once;
    consumers de-duplicate on the message id, the referral's reference).
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending | sent
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    referral: Mapped[Referral] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.topic} {self.status}>"


class Organisation(Base):
    """A designated first-responder organisation, the single expert unit or the independent panel."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)  # the value in flows/lists/organisations.yaml
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # police | local-authority | government | ngo | unit | panel

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class User(Base):
    """A member of staff. Staff details are not case data: they are stored in the clear."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))  # first-responder | caseworker | panel | analyst | admin
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped to end every session of the user at once (sign-out everywhere, disabling, a new password).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # A translator's languages (catalogue codes such as "cy" or "fa_AF"); empty for every other role.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    # A police liaison's force (a value of flows/lists/police-forces.yaml); None for every other role.
    police_force_area: Mapped[str | None] = mapped_column(String(64))

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class TranslationProposal(Base):
    """A translator's proposed translation of one catalogue string, or their review of one (``kind``).

    Kept in the database, never written into a catalogue by the service: `flask i18n export-reviews`
    turns them into a .po update that a developer merges (docs and README, "For translators").
    Interface text, not personal data."""

    __tablename__ = "translation_proposals"
    __table_args__ = (Index("ix_translation_proposals_language_key", "language", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))  # SHA-256 of the context and msgid: one string of the catalogue
    context: Mapped[str | None] = mapped_column(String(200))
    msgid: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # proposal | review
    forms: Mapped[list[str]] = mapped_column(JSON)  # the translation: one form, or one per plural form
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<TranslationProposal {self.id} {self.language} {self.kind}>"


class EvidenceFile(Base):
    """A file given with a draft as evidence (docs/data-protection.md, "Files"): what it is, not what
    it holds. Its bytes are encrypted, in ``evidence_chunks`` while it arrives, then in
    ``evidence_blobs`` or an object store; the file's own name is never kept."""

    __tablename__ = "evidence_files"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    size: Mapped[int] = mapped_column(BigInteger)  # as announced when the upload began
    received: Mapped[int] = mapped_column(BigInteger, default=0)  # the acknowledged offset
    status: Mapped[str] = mapped_column(String(16), default="uploading")  # uploading | complete
    extension: Mapped[str | None] = mapped_column(String(8))  # jpg | png | pdf | doc | docx, from the content
    media_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str | None] = mapped_column(String(64))
    scan: Mapped[str] = mapped_column(String(16), default="not-scanned")  # not-scanned | clean
    location: Mapped[str] = mapped_column(String(8), default="database")  # database | s3
    # The worker's one-line description, given with the file by the no-JavaScript form.
    description: Mapped[str | None] = mapped_column(EncryptedJSON("evidence_files.description"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<EvidenceFile {self.id} {self.status}>"


class EvidenceChunk(Base):
    """One acknowledged chunk of a file still arriving, encrypted."""

    __tablename__ = "evidence_chunks"
    __table_args__ = (UniqueConstraint("file_id", "offset", name="uq_evidence_chunks_file_offset"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[str] = mapped_column(ForeignKey("evidence_files.id", ondelete="CASCADE"), index=True)
    offset: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceBlob(Base):
    """A complete file's bytes, encrypted, when files are kept in the database (the default)."""

    __tablename__ = "evidence_blobs"

    file_id: Mapped[str] = mapped_column(ForeignKey("evidence_files.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StatisticsTally(Base):
    """One count of an ended quarter's statistics (assistant/quarterly_cache.py): an ended quarter's
    counts do not change, so the pages add these up instead of counting every referral again."""

    __tablename__ = "statistics_tallies"

    quarter: Mapped[str] = mapped_column(String(8), primary_key=True)  # 2026-Q3, UK time
    area: Mapped[str] = mapped_column(String(64), primary_key=True)  # a police force area, "" for all
    tally: Mapped[str] = mapped_column(String(32), primary_key=True)  # assistant/quarterly.py's LIVE keys
    value: Mapped[str] = mapped_column(String(128), primary_key=True)  # "" for not recorded
    count: Mapped[int] = mapped_column()
