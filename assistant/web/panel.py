"""The independent panel's pages: negative decisions awaiting review, upheld or sent back.

A panel member sees only referrals that are with the panel now; the referral view is casework's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer

from ..access import current_staff, roles_required
from ..casework import decisions, lifecycle
from ..casework.lifecycle import NotAllowed
from ..extensions import db
from ..storage.models import Referral
from .casework import audited_view, find, lock, referral_context, refuse, refused_message
from .labels import EVENT
from .staff import page

panel = Blueprint("panel", __name__, url_prefix="/panel")
PROPOSALS = ("rg-negative", "cg-negative")


@panel.get("/", endpoint="queue")
@roles_required("panel")
def queue_page() -> str:
    query = (
        select(Referral)
        .where(Referral.status.in_(lifecycle.PANEL_STATES))
        .order_by(Referral.submitted_at, Referral.id)
        .options(defer(Referral.answers))
    )
    return page("panel/queue.html", referrals=list(db.session.scalars(query)))


@panel.get("/referrals/<reference>")
@roles_required("panel")
def referral(reference: str) -> str:
    found = find(reference)
    if found.status not in lifecycle.PANEL_STATES:
        abort(404)
    audited_view(found)
    return _render(found)


@panel.post("/referrals/<reference>/review")
@roles_required("panel")
def review(reference: str) -> Response | tuple[str, int]:
    action = request.form.get("action", "")
    found = lock(reference)
    if found.status not in lifecycle.PANEL_STATES:  # reviewed meanwhile, or never with the panel
        db.session.rollback()
        flash(refused_message("wrong_status"))
        return redirect(url_for("panel.queue"))
    try:
        if action not in ("uphold", "send-back"):  # no choice made, or a step that is not the panel's
            raise NotAllowed("forbidden" if action in lifecycle.ACTIONS else "unknown_action")
        decisions.take(found, current_staff(), action, request.form.get("reasons", ""))
    except NotAllowed as error:
        return refuse(error, action, reference, _render)
    db.session.commit()
    flash(_("Referral %(reference)s: %(step)s.", reference=reference, step=EVENT[action]))
    return redirect(url_for("panel.queue"))


def _render(referral: Referral, **extra: Any) -> str:
    context = referral_context(referral)
    proposal = next((e for e in reversed(context["events"]) if e.action in PROPOSALS), None)
    return page(
        "panel/referral.html",
        **context,
        proposal=proposal,
        independent=referral.proposed_by_id != current_staff().id,
        reviewable=referral.status in lifecycle.PANEL_STATES,
        reasons=request.form.get("reasons", ""),
        chosen=request.form.get("action", ""),
        **extra,
    )
