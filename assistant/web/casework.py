"""The single expert unit's pages: the intake queue, claiming, and deciding a referral.

The referral view (answers, timeline, error messages) is shared with the panel's pages (panel.py).
Every POST is post/redirect/get; a refused step re-renders the page with the reason (status 400).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import audit, conversations
from ..access import current_staff, roles_required
from ..casework import categories, decisions, lifecycle, queue
from ..casework.lifecycle import NotAllowed
from ..engine import Snapshot
from ..extensions import db
from ..presenter import Presenter
from ..storage import store
from ..storage.models import Referral, User
from .errors import not_allowed_message, refusal
from .labels import AGE_GROUP, DECISIONS, EVENT, EXPLOITATION, JURISDICTION, KIND, format_date
from .staff import page

casework = Blueprint("casework", __name__, url_prefix="/casework")


def refused_message(code: str, referral: Referral | None = None) -> str:
    ends = referral.recovery_ends_at if referral is not None else None
    return not_allowed_message(code, on="decision", until=format_date(ends, "long") if ends else None)


def find(reference: str) -> Referral:
    referral = store.get_referral(db.session, reference)
    if referral is None:
        abort(404)
    return referral


def lock(reference: str) -> Referral:
    referral = decisions.get_for_update(reference)
    if referral is None:
        db.session.rollback()
        abort(404)
    return referral


def referral_context(referral: Referral) -> dict[str, Any]:
    """What the shared referral view shows: summary, answers by section, and the timeline."""
    conversation = store.get_conversation(db.session, referral.conversation_id)
    sections: list[dict[str, Any]] = []
    if conversation is not None:
        presenter = Presenter(
            conversations.engine_for(conversation), current_app.extensions["lookups"], str(get_locale())
        )
        sections = presenter.review(Snapshot.from_json(conversation.snapshot))["sections"]
    events = store.referral_events(db.session, referral.id)
    days = queue.days_waiting(referral)
    ends = referral.recovery_ends_at
    force = current_app.extensions["lookups"].entry("police-forces", referral.police_force or "")
    return {
        "referral": referral,
        "sections": sections,
        "events": events,
        "days_waiting": days,
        "overdue": queue.is_overdue(referral, days),
        "recovery_ends_at": ends,
        "recovery_over": ends is not None and ends <= dt.datetime.now(dt.UTC),
        "police_force_name": force.label if force else None,
        "decisions": DECISIONS,
    }


def audited_view(referral: Referral) -> None:
    audit.record("view", referral.reference)
    db.session.commit()


def refuse(error: NotAllowed, action: str, reference: str, render: Callable[..., str]) -> tuple[str, int]:
    """Undo the step, note the refusal in the audit trail and show the page again with the reason."""
    db.session.rollback()
    if action in audit.ACTIONS:
        audit.record(action, reference, outcome="refused")
    referral = find(reference)
    audited_view(referral)
    return render(referral, error=refused_message(error.code, referral), error_field=refusal(error.code).field), 400


@casework.get("/", endpoint="queue")
@roles_required("caseworker")
def queue_page() -> str:
    user = current_staff()
    filters = queue.Filters.from_args(request.args)
    return page(
        "casework/queue.html",
        filters=filters,
        items=queue.listing(filters),
        mine=queue.claimed_by(user),
        target=queue.target(),
        choices=_filter_choices(),
    )


@casework.post("/claim-next")
@roles_required("caseworker")
def claim_next() -> Response:
    filters = queue.Filters.from_args(request.form)
    try:
        referral = queue.claim_next(current_staff(), filters)
    except NotAllowed:  # pragma: no cover - the query only finds claimable referrals
        referral = None
    if referral is None:
        db.session.rollback()
        flash(_("There are no referrals to claim that match these filters."))
        return redirect(url_for("casework.queue", **filters.as_args()))
    db.session.commit()
    return redirect(url_for("casework.referral", reference=referral.reference))


@casework.get("/referrals/<reference>")
@roles_required("caseworker")
def referral(reference: str) -> str:
    found = find(reference)
    audited_view(found)
    return _render(found)


@casework.post("/referrals/<reference>/claim")
@roles_required("caseworker")
def claim(reference: str) -> Response | tuple[str, int]:
    try:
        decisions.claim(lock(reference), current_staff())
    except NotAllowed as error:
        return refuse(error, "claim", reference, _render)
    db.session.commit()
    return redirect(url_for("casework.referral", reference=reference))


@casework.post("/referrals/<reference>/release")
@roles_required("caseworker")
def release(reference: str) -> Response | tuple[str, int]:
    try:
        decisions.release(lock(reference), current_staff())
    except NotAllowed as error:
        return refuse(error, "release", reference, _render)
    db.session.commit()
    flash(_("You have released referral %(reference)s: it is back in the queue.", reference=reference))
    return redirect(url_for("casework.queue"))


@casework.post("/referrals/<reference>/decide")
@roles_required("caseworker")
def decide(reference: str) -> Response | tuple[str, int]:
    action = request.form.get("action", "")
    try:
        decisions.take(
            lock(reference),
            current_staff(),
            action,
            request.form.get("reasons", ""),
            police_force=request.form.get("police_force") or None,
        )
    except NotAllowed as error:
        return refuse(error, action, reference, _render)
    db.session.commit()
    flash(_("Recorded: %(step)s.", step=EVENT[action]))
    return redirect(url_for("casework.referral", reference=reference))


def _render(referral: Referral, **extra: Any) -> str:
    user: User = current_staff()
    context = referral_context(referral)
    actions = [a for a in lifecycle.allowed(referral.status) if lifecycle.ACTIONS[a] == "caseworker"]
    lookups = current_app.extensions["lookups"]
    return page(
        "casework/referral.html",
        **context,
        actions=actions,
        user=user,
        claimable=referral.status in lifecycle.CASEWORK_STATES and referral.claimed_by_id is None,
        claimed_by_me=referral.claimed_by_id == user.id,
        police_forces=lookups.entries("police-forces", str(get_locale())) if "pass-to-police" in actions else [],
        # as chosen when the form comes back with an error (even none), otherwise the suggestion
        police_force=(
            request.form.get("police_force", "") if request.method == "POST" else _suggested_police_force(referral)
        ),
        reasons=request.form.get("reasons", ""),
        chosen=request.form.get("action", ""),
        **extra,
    )


def _suggested_police_force(referral: Referral) -> str | None:
    """For a Duty to Notify report, the force its answers name, as its flow declares the question."""
    if referral.kind != "dtn":
        return None
    return categories.suggested_police_force(conversations.flow_of(referral).integration, referral.answers)


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "kind": [(k, str(KIND[k])) for k in queue.KINDS],
        "age_group": [(k, str(AGE_GROUP[k])) for k in categories.AGE_GROUPS],
        "jurisdiction": [(k, str(JURISDICTION[k])) for k in categories.JURISDICTIONS],
        "exploitation": [(k, str(EXPLOITATION[k])) for k in categories.EXPLOITATION_TYPES],
        "waiting": [
            ("overdue", _("Past the Reasonable Grounds target")),
            ("due-soon", _("Reasonable Grounds decision due today or next working day")),
        ],
    }
