"""The application service: the one place where the engine meets storage.

A chat event is read and applied on its conversation's engine, then stored in one unit of work with
its turn and any referral, if no other event changed the conversation meanwhile; only after the
commit is the acknowledgement handed back. A resent event (same client_msg_id) returns the stored
acknowledgement instead of being applied again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy.exc import IntegrityError

from . import audit, handoff
from .access import Owned, may_work_on
from .accounts.roles import Actor
from .accounts.sessions import Standing
from .casework import categories
from .casework.decisions import record_submitted
from .clock import LONDON
from .engine import SUBMITTED, Engine, Flow, FlowRegistry, Snapshot, TurnRejected
from .engine.validators import N_
from .evidence import uploads
from .extensions import db
from .lookups import Lookups
from .presenter import Presenter, receipt
from .recent_turns import RecentTurns
from .references import new_reference
from .storage import store
from .storage.models import Conversation, FlowVersion, Referral, User
from .storage.unit_of_work import reading, unit_of_work
from .tokens import check_resume_token, resume_token

log = logging.getLogger(__name__)
OwnedT = TypeVar("OwnedT", bound=Owned)
NOT_FOUND = N_("This referral could not be found. Start a new one.")


class Rejected(Exception):
    """The request cannot be served at all (no conversation to render): the transport answers with
    ``code`` and the translated ``message``."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.message, self.params = code, message, params


class SignedOut(Rejected):
    """The account no longer stands as it did when the worker signed in (signed out, disabled, moved)."""

    def __init__(self) -> None:
        super().__init__("signed_out", N_("You have been signed out. Sign in again to carry on."))


def registry() -> FlowRegistry:
    flows: FlowRegistry = current_app.extensions["flows"]
    return flows


def lookups() -> Lookups:
    found: Lookups = current_app.extensions["lookups"]
    return found


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def _mine(conversation: OwnedT | None, user: Actor) -> OwnedT:
    """The conversation, if ``user`` may work on it; otherwise it does not exist as far as they know."""
    if conversation is None or not may_work_on(user, conversation):
        db.session.rollback()
        raise Rejected("not_found", NOT_FOUND)
    return conversation


def start(flow_id: str, language: str, client_msg_id: str | None, user: User) -> tuple[str, dict[str, Any]]:
    """Open a conversation; a repeated ``client_msg_id`` returns the one it opened before."""
    if client_msg_id:
        existing = store.get_conversation_by_start_msg(db.session, client_msg_id)
        if existing is not None:
            existing = _mine(existing, user)
            return existing.id, _current_turn(existing, resume_token=_token(existing.id))
    engine = registry().current(flow_id)
    if engine is None:
        raise Rejected("unknown_flow", N_("There is no flow called %(flow)s."), flow=flow_id)
    flow = engine.flow
    version = store.ensure_flow_version(db.session, flow.id, flow.version, flow.digest, flow.source)
    snapshot = engine.start(_known_answers(engine, user))
    conversation = Conversation(
        id=uuid.uuid4().hex,
        flow_version=version,
        state=snapshot.state,
        snapshot=snapshot.to_json(),
        language=language,
        start_msg_id=client_msg_id,
        organisation_id=user.organisation_id,
        created_by_id=user.id,
    )
    db.session.add(conversation)
    audit.record("draft-start", f"conversation:{conversation.id}", actor=user)
    try:
        db.session.commit()
    except IntegrityError:  # the same start raced in twice: answer with the one that won
        db.session.rollback()
        if client_msg_id and (existing := store.get_conversation_by_start_msg(db.session, client_msg_id)):
            existing = _mine(existing, user)
            return existing.id, _current_turn(existing, resume_token=_token(existing.id))
        raise
    log.info("conversation started flow=%s version=%s", flow.id, flow.version)
    return conversation.id, _current_turn(conversation, resume_token=_token(conversation.id))


def _known_answers(engine: Engine, user: User) -> dict[str, Any]:
    """What the account already says: the worker's organisation, when the flow asks for it (its
    ``organisation`` integration point) and it is on the question's list."""
    question_id = engine.flow.integration.question("organisation")
    question = engine.flow.answerable(question_id) if question_id else None
    slug = user.organisation.slug
    if question is None or not question.lookup or lookups().entry(question.lookup, slug) is None:
        return {}
    return {question.id: slug}


def resume(conversation_id: str, token: Any, user: User, language: str | None = None) -> dict[str, Any]:
    """The current turn and transcript; in ``language`` from now on, when one is given."""
    conversation = store.get_conversation(db.session, conversation_id, for_update=language is not None)
    if not check_resume_token(current_app.secret_key or "", conversation_id, token):
        conversation = None
    conversation = _mine(conversation, user)
    if language and language != conversation.language:
        conversation.language = language
        db.session.commit()
    return _current_turn(conversation, with_transcript=True)


def set_language(conversation_id: str, language: str, user: User) -> dict[str, Any]:
    """Switch the conversation's language; every answer is kept. Returns the turn re-rendered."""
    conversation = _mine(store.get_conversation(db.session, conversation_id, for_update=True), user)
    conversation.language = language
    db.session.commit()
    log.info("conversation language changed to %s", language)
    return _current_turn(conversation, with_transcript=True)


class _Stale(Exception):
    """Another event changed the conversation after this one read it."""


ATTEMPTS = 5  # times an event is worked out again when other events on its conversation got in first


def act(
    conversation_id: str, event: str, payload: dict[str, Any], client_msg_id: str, user: Standing
) -> dict[str, Any]:
    """Apply ``answer``, ``back``, ``change`` or ``submit`` once, durably, serialised per conversation.

    The event is worked out from a read that waits for no writer, then stored with its
    acknowledgement only if the conversation is still at the revision it read; if another event got
    in first, it is worked out again on the new state. So the database's write lock is held only to
    store the turn (on SQLite, one writer at a time across processes). The same read checks that the
    worker's account still stands (SignedOut if not): one transaction for both, as the turn's cost
    is mostly per transaction.

    The read is skipped when this process stored the conversation's last turn (recent_turns.py):
    the write checks the revision and the account all the same, and reads if either has moved.

    A resent event is found by the turns' unique key (conversation, client_msg_id) when its turn is
    stored, not by a select before every event: resends are rare, and one that was worked out is
    rolled back."""
    recent: RecentTurns = current_app.extensions["recent_turns"]
    for _attempt in range(ATTEMPTS):
        conversation = recent.get(conversation_id)
        try:
            if conversation is not None and may_work_on(user, conversation):
                outcome = _work_out(conversation, event, payload)
            else:
                with reading():
                    conversation = _read_turn_state(conversation_id, user)
                    outcome = _work_out(conversation, event, payload)
            with unit_of_work():
                ack = _store(conversation, outcome, event, payload, client_msg_id, user)
            recent.keep(_stored_state(conversation, outcome.changes))
            return ack
        except _Stale:
            recent.forget(conversation_id)
            continue
        except Rejected:  # not theirs: nothing is looked up for them
            raise
        except Exception:
            recent.forget(conversation_id)
            # a resent event (IntegrityError on the unique key), or one that no longer fits the
            # conversation's state: it gets the acknowledgement its first copy got
            if (stored := _stored_ack(conversation_id, client_msg_id)) is not None:
                return stored
            raise
    raise RuntimeError(f"the conversation changed under {ATTEMPTS} tries of one event")


def _stored_state(seen: store.TurnState, changes: Mapping[str, Any]) -> store.TurnState:
    """The conversation as ``store.advance`` has just written it."""
    written = {column: value for column, value in changes.items() if column in _TURN_STATE_COLUMNS}
    return dataclasses.replace(seen, revision=seen.revision + 1, **written)


_TURN_STATE_COLUMNS = frozenset(store.TurnState.__slots__)


def _read_turn_state(conversation_id: str, user: Standing) -> store.TurnState:
    """The conversation, read with its worker's account: SignedOut if the account no longer stands (a
    draft that does not exist included), else not found unless it is theirs."""
    found = store.turn_state(db.session, conversation_id, user.id)
    if found is None:
        if not user.holds():
            raise SignedOut
        return _mine(None, user)
    conversation, account = found
    if not user.matches(account):
        raise SignedOut
    return _mine(conversation, user)


def _stored_ack(conversation_id: str, client_msg_id: str) -> dict[str, Any] | None:
    """The acknowledgement a turn already got, if there is one (after rolling the event back)."""
    db.session.rollback()
    with reading():
        turn = store.get_turn(db.session, conversation_id, client_msg_id)
        return turn.ack if turn is not None else None


@dataclass(frozen=True, slots=True)
class _Outcome:
    """An event worked out on what was read: the conversation's new snapshot and changed columns (its
    status too, for a submission), and the acknowledgement (None for a submission: its receipt waits
    for the referral that storing makes), with the presenter that renders it."""

    presenter: Presenter
    snapshot: Snapshot
    changes: dict[str, Any]
    ack: dict[str, Any] | None


def _work_out(conversation: store.TurnState, event: str, payload: dict[str, Any]) -> _Outcome:
    engine = stored_engine(conversation.flow_version_id, conversation.flow_digest)
    snapshot = Snapshot.from_json(conversation.snapshot)
    presenter = Presenter(engine, lookups(), conversation.language)
    referral = None
    ack: dict[str, Any] | None = None
    try:
        if event == "submit" and conversation.status == "submitted":
            referral = store.get_referral_for(db.session, conversation.id)
            new = snapshot
        else:
            new = _apply(engine, snapshot, event, payload)
            if event == "answer":
                _check_files(engine, conversation.id, payload["question_id"], new)
        if new.state != SUBMITTED or referral is not None:
            ack = presenter.turn(conversation.id, new, receipt=_receipt(referral, conversation.language))
    except TurnRejected as rejected:
        new = snapshot
        if snapshot.state == SUBMITTED:
            referral = store.get_referral_for(db.session, conversation.id)
        sent = _receipt(referral, conversation.language)
        ack = presenter.turn(conversation.id, snapshot, receipt=sent, error=rejected)
    changes: dict[str, Any] = {"snapshot": new.to_json(), "state": new.state}
    if event == "answer" and new is not snapshot:
        # A grouped question's answers are its fields': each records the language it was given in.
        answered = dict.fromkeys(engine.flow.answer_keys(payload["question_id"]), conversation.language)
        changes["answer_languages"] = {**conversation.answer_languages, **answered}
    if ack is None:
        changes["status"] = "submitted"
    return _Outcome(presenter, new, changes, ack)


def _store(
    conversation: store.TurnState,
    outcome: _Outcome,
    event: str,
    payload: dict[str, Any],
    client_msg_id: str,
    user: Standing,
) -> dict[str, Any]:
    """Store the worked-out event, in the caller's unit of work; _Stale if the conversation moved on
    or the worker's account no longer stands as it did."""
    ack = outcome.ack
    if not store.advance(db.session, conversation, outcome.changes, user.id, user.account):
        raise _Stale
    if ack is None:  # the submission: the referral goes in the intake queue in this transaction
        referral = _submit(conversation, outcome.presenter.engine, outcome.snapshot, user)
        sent = _receipt(referral, conversation.language)
        ack = outcome.presenter.turn(conversation.id, outcome.snapshot, receipt=sent)
    turn = {"client_msg_id": client_msg_id, "event": event, "question_id": payload.get("question_id"), "ack": ack}
    store.record_turn(db.session, conversation.id, turn)
    return ack


def flow_of(referral: Referral) -> Flow:
    """The flow version a referral was made with, to read its answers by their integration points:
    the current file when it has the same version, without a query; otherwise the stored text."""
    current = registry().current(referral.flow_id)
    if current is not None and current.flow.version == referral.flow_version:
        return current.flow
    conversation = store.get_conversation(db.session, referral.conversation_id)
    assert conversation is not None  # a referral keeps its conversation
    return engine_for(conversation).flow


def engine_for(conversation: Conversation) -> Engine:
    """The engine of the flow version the conversation started on, even if its file has changed."""
    return stored_engine(conversation.flow_version_id, conversation.flow_version.digest)


def stored_engine(flow_version_id: int, digest: str) -> Engine:
    """The engine of a stored flow version: the loaded one with its digest, or one made from its stored
    text (its file has changed since), read only then."""
    engine = registry().by_digest(digest)
    if engine is None:
        with reading():  # the caller's transaction, if it has begun one
            version = db.session.get(FlowVersion, flow_version_id)
            assert version is not None  # a conversation keeps its flow version
            engine = registry().add_source(version.source, f"{version.flow_id}@{version.version} (stored)")
    return engine


def _apply(engine: Engine, snapshot: Snapshot, event: str, payload: dict[str, Any]) -> Snapshot:
    if event == "answer":
        return engine.answer(snapshot, payload["question_id"], payload.get("value"), today())
    if event == "back":
        return engine.back(snapshot)
    if event == "change":
        return engine.change(snapshot, payload["question_id"])
    return engine.submit(snapshot)


def _check_files(engine: Engine, conversation_id: str, question_id: str, snapshot: Snapshot) -> None:
    """An upload question's answer names files of this draft that arrived whole, and no others."""
    question = engine.flow.questions.get(question_id)  # a contradiction's question is not in the flow
    if question is None or question.kind != "upload":
        return
    named = [f["file"] for f in snapshot.answers.get(question_id) or []]
    with reading():  # the event's own read, or one of its own when the conversation was not read
        missing = uploads.missing(conversation_id, named)
    if missing:
        raise TurnRejected("invalid", N_("A file is no longer there. Add it again"), question_id=question_id)


def _evidence(engine: Engine, answers: Mapping[str, Any]) -> list[str]:
    """The ids of the files the answers give."""
    questions = engine.flow.questions
    return [
        item["file"]
        for qid, value in answers.items()
        if qid in questions and questions[qid].kind == "upload" and isinstance(value, list)
        for item in value
    ]


def _submit(conversation: store.TurnState, engine: Engine, snapshot: Snapshot, user: Actor) -> Referral:
    """Put the referral in the intake queue, in the same transaction that closes the conversation."""
    flow = engine.flow
    kind = flow.kind_of(snapshot.answers)
    reference = new_reference(flow.prefix_of(kind))
    while store.reference_taken(db.session, reference):
        reference = new_reference(flow.prefix_of(kind))
    referral = Referral(
        reference=reference,
        kind=kind,
        conversation_id=conversation.id,
        flow_id=engine.flow.id,
        flow_version=engine.flow.version,
        language=conversation.language,
        answers=dict(snapshot.answers),
        answer_languages={q: lang for q, lang in conversation.answer_languages.items() if q in snapshot.answers},
        organisation_id=conversation.organisation_id,
        created_by_id=conversation.created_by_id,
        **categories.filed_under(flow, snapshot.answers, conversation.organisation_id),
    )
    db.session.add(referral)
    record_submitted(referral, user)
    audit.record("submit", reference, actor=user)
    db.session.flush()
    uploads.keep_only(conversation.id, _evidence(engine, snapshot.answers))
    handoff.enqueue(referral.id)
    log.info("referral submitted kind=%s reference=%s", kind, reference)
    return referral


def _receipt(referral: Referral | None, language: str) -> dict[str, Any] | None:
    return receipt(referral.kind, referral.reference, language) if referral else None


def _current_turn(conversation: Conversation, with_transcript: bool = False, **extra: Any) -> dict[str, Any]:
    engine = engine_for(conversation)
    snapshot = Snapshot.from_json(conversation.snapshot)
    referral = store.get_referral_for(db.session, conversation.id) if snapshot.state == SUBMITTED else None
    presenter = Presenter(engine, lookups(), conversation.language)
    if with_transcript:
        extra["transcript"] = presenter.transcript(snapshot)
    return presenter.turn(conversation.id, snapshot, receipt=_receipt(referral, conversation.language), **extra)


def _token(conversation_id: str) -> str:
    return resume_token(current_app.secret_key or "", conversation_id)


def purge_stale_drafts(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete drafts untouched for DRAFT_RETENTION_DAYS, with their turns: how many, and the days."""
    days = int(current_app.config["DRAFT_RETENTION_DAYS"])
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    with unit_of_work():
        uploads.purge(cutoff)  # their files, and uploads left unfinished, before the drafts go
        count = store.purge_drafts(db.session, cutoff)
    return count, days
