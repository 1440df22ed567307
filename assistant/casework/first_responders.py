"""First responders' "My referrals": their organisation's drafts and submitted referrals.

A first responder sees only their own organisation's work; anything else is NotFound, never
"forbidden", so ids of other organisations' referrals reveal nothing. Of the decisions' reasons
they read only those of decisions that took effect (``reasons_in_effect``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from .. import audit, conversations
from ..access import NotFound, may_work_on
from ..engine import Snapshot
from ..evidence import access, uploads
from ..extensions import db
from ..storage import store
from ..storage.models import Conversation, Referral, ReferralEvent, User, utcnow
from ..storage.unit_of_work import unit_of_work
from . import decisions, lifecycle
from .lifecycle import NotAllowed
from .records import Refused

IN_EFFECT = frozenset({"rg-positive", "cg-positive", "reconsider"})
PROPOSALS = frozenset({"rg-negative", "cg-negative"})


@dataclass(frozen=True)
class Work:
    drafts: list[dict[str, Any]]  # draft_row()s, most recently touched first
    submitted: list[Referral]  # newest first


def reasons_in_effect(events: list[ReferralEvent]) -> set[int]:
    """The events whose reasons the first responder reads: positive decisions, their own requests, and
    a negative decision with the panel's reasons once the panel upheld it (a proposal sent back was
    the unit's own working, and never took effect)."""
    visible: set[int] = set()
    proposal: ReferralEvent | None = None
    for event in events:
        if event.action in IN_EFFECT:
            visible.add(event.id)
        elif event.action in PROPOSALS:
            proposal = event
        elif event.action == "uphold":
            visible.update({event.id} | ({proposal.id} if proposal else set()))
    return visible


def work_of(user: User) -> Work:
    """The drafts and referrals of the user's organisation."""
    drafts = [draft_row(c) for c in store.organisation_drafts(db.session, user.organisation_id)]
    return Work(drafts, store.organisation_referrals(db.session, user.organisation_id))


def draft(user: User, conversation_id: str) -> dict[str, Any]:
    return draft_row(_draft(user, conversation_id))


def delete_draft(user: User, conversation_id: str) -> None:
    with unit_of_work():
        found = _draft(user, conversation_id)
        uploads.discard_draft(found.id)
        store.delete_draft(db.session, found)
        audit.record("draft-delete", f"conversation:{conversation_id}", actor=user)


def open_referral(user: User, reference: str) -> Referral:
    """The organisation's referral, with the reading on the audit trail."""
    with unit_of_work():
        referral = _referral(user, reference)
        audit.record("view", referral.reference, actor=user)
    return referral


def reconsider(user: User, reference: str, information: str) -> Referral:
    """Ask for a negative decision to be reconsidered; Refused (nothing recorded) if it cannot be."""
    try:
        with unit_of_work():
            referral = _referral(user, reference, for_update=True)
            decisions.take(referral, user, "reconsider", reasons=information)
        return referral
    except NotAllowed as refused:
        raise Refused(refused.code, _referral(user, reference)) from refused


def status(referral: Referral) -> dict[str, Any]:
    """Where the referral stands, as its first responder reads it."""
    events = store.referral_events(db.session, referral.id)
    return {
        "referral": referral,
        "your_reference": your_reference(referral),
        "events": events,
        "show_reasons": reasons_in_effect(events),
        "may_reconsider": referral.status in lifecycle.FINAL_NEGATIVE,
        "files": access.listing(referral),
    }


def your_reference(item: Conversation | Referral) -> str:
    """The first responder's own reference for the report, if they gave one."""
    if isinstance(item, Referral):
        answers, flow = item.answers, conversations.flow_of(item)
    else:
        answers, flow = item.snapshot.get("answers", {}), conversations.engine_for(item).flow
    value = flow.integration.answer("reference", answers)
    return value if isinstance(value, str) else ""


def draft_row(conversation: Conversation) -> dict[str, Any]:
    updated = conversation.updated_at
    retention = current_app.config["DRAFT_RETENTION_DAYS"]
    days_left = max(0, retention - (utcnow() - updated).days)
    progress = conversations.engine_for(conversation).progress(Snapshot.from_json(conversation.snapshot))
    return {
        "id": conversation.id,
        "your_reference": your_reference(conversation),
        "updated_at": updated,
        "days_left": days_left,
        "section": progress.section,
        "sections": progress.sections,
    }


def _draft(user: User, conversation_id: str) -> Conversation:
    conversation = store.get_conversation(db.session, conversation_id[:64])
    if conversation is None or conversation.status != "draft" or not may_work_on(user, conversation):
        raise NotFound(conversation_id)
    return conversation


def _referral(user: User, reference: str, for_update: bool = False) -> Referral:
    found = decisions.get_for_update(reference) if for_update else store.get_referral(db.session, reference)
    if found is None or not may_work_on(user, found):
        raise NotFound(reference)
    return found
