"""First responders' "My referrals": their organisation's drafts and submitted referrals.

A first responder sees only their own organisation's work; anything else is "not found", never
"forbidden", so ids of other organisations' referrals reveal nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from .. import audit, conversations
from ..access import current_staff, may_work_on, roles_required
from ..casework import decisions, lifecycle
from ..casework.lifecycle import NotAllowed
from ..engine import Snapshot
from ..extensions import db
from ..storage import store
from ..storage.models import Conversation, Referral, ReferralEvent, utcnow
from .errors import not_allowed_message
from .staff import page

referrals = Blueprint("referrals", __name__, url_prefix="/referrals")
# Reasons a first responder may read: those of decisions that took effect, and their own requests.
IN_EFFECT = frozenset({"rg-positive", "cg-positive", "reconsider"})
PROPOSALS = frozenset({"rg-negative", "cg-negative"})


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


@referrals.before_request
@roles_required("first-responder")
def _first_responders_only() -> None:
    """Every page here is for signed-in first responders."""


@referrals.get("/")
def mine() -> str:
    user = current_staff()
    drafts = [_draft_row(c) for c in store.organisation_drafts(db.session, user.organisation_id)]
    submitted = store.organisation_referrals(db.session, user.organisation_id)
    return page("referrals/mine.html", drafts=drafts, submitted=submitted, your_reference=_your_reference)


@referrals.get("/drafts/<conversation_id>/delete")
def confirm_delete(conversation_id: str) -> str:
    return page("referrals/delete.html", conversation=_draft_row(_draft(conversation_id)))


@referrals.post("/drafts/<conversation_id>/delete")
def delete(conversation_id: str) -> Response:
    conversation = _draft(conversation_id)
    store.delete_draft(db.session, conversation)
    audit.record("draft-delete", f"conversation:{conversation_id}")
    db.session.commit()
    flash(_("The draft has been deleted."))
    return redirect(url_for("referrals.mine"))


@referrals.get("/<reference>")
def status(reference: str) -> str:
    referral = _referral(reference)
    audit.record("view", referral.reference)
    db.session.commit()
    return _status_page(referral)


@referrals.post("/<reference>/reconsideration")
def reconsider(reference: str) -> str | Response:
    referral = _referral(reference, for_update=True)
    information = request.form.get("information", "")
    try:
        decisions.take(referral, current_staff(), "reconsider", reasons=information)
    except NotAllowed as refused:
        db.session.rollback()
        message = not_allowed_message(refused.code, on="reconsider")
        return _status_page(_referral(reference), error=message, information=information), 400
    db.session.commit()
    flash(_("Your request for reconsideration has been sent."))
    return redirect(url_for("referrals.status", reference=reference))


def _status_page(referral: Referral, **context: Any) -> str:
    events = store.referral_events(db.session, referral.id)
    return page(
        "referrals/status.html",
        referral=referral,
        your_reference=_your_reference(referral),
        events=events,
        show_reasons=reasons_in_effect(events),
        may_reconsider=referral.status in lifecycle.FINAL_NEGATIVE,
        error_field="information",
        **context,
    )


def _draft(conversation_id: str) -> Conversation:
    conversation = store.get_conversation(db.session, conversation_id[:64])
    if conversation is None or conversation.status != "draft" or not may_work_on(current_staff(), conversation):
        abort(404)
    return conversation


def _referral(reference: str, for_update: bool = False) -> Referral:
    found = decisions.get_for_update(reference) if for_update else store.get_referral(db.session, reference)
    if not may_work_on(current_staff(), found):
        abort(404)
    assert found is not None
    return found


def _your_reference(item: Conversation | Referral) -> str:
    """The first responder's own reference for the report, if they gave one."""
    if isinstance(item, Referral):
        answers, flow = item.answers, conversations.flow_of(item)
    else:
        answers, flow = item.snapshot.get("answers", {}), conversations.engine_for(item).flow
    value = flow.integration.answer("reference", answers)
    return value if isinstance(value, str) else ""


def _draft_row(conversation: Conversation) -> dict[str, Any]:
    updated = conversation.updated_at
    retention = current_app.config["DRAFT_RETENTION_DAYS"]
    days_left = max(0, retention - (utcnow() - updated).days)
    progress = conversations.engine_for(conversation).progress(Snapshot.from_json(conversation.snapshot))
    return {
        "id": conversation.id,
        "your_reference": _your_reference(conversation),
        "updated_at": updated,
        "days_left": days_left,
        "section": progress.section,
        "sections": progress.sections,
    }
