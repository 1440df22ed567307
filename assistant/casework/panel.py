"""The independent panel's work: negative decisions awaiting review, upheld or sent back.

A panel member sees only referrals that are with the panel now.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from ..extensions import db
from ..storage.models import Referral, User
from . import decisions, lifecycle, records
from .lifecycle import NotAllowed

PROPOSALS = ("rg-negative", "cg-negative")
REVIEWS = ("uphold", "send-back")


class NotWithPanel(LookupError):
    """The referral was reviewed meanwhile, or never was with the panel."""


def waiting() -> list[Referral]:
    """The referrals with the panel, oldest first."""
    query = (
        select(Referral)
        .where(Referral.status.in_(lifecycle.PANEL_STATES))
        .order_by(Referral.submitted_at, Referral.id)
        .options(defer(Referral.answers))
    )
    return list(db.session.scalars(query))


def open_referral(reference: str, user: User) -> Referral:
    return records.open_referral(reference, user, lambda referral: referral.status in lifecycle.PANEL_STATES)


def review(reference: str, user: User, action: str, reasons: str) -> Referral:
    """Uphold or send back the proposal; NotWithPanel (nothing recorded) if it is not with the panel."""

    def step(referral: Referral) -> None:
        if referral.status not in lifecycle.PANEL_STATES:
            raise NotWithPanel(reference)
        if action not in REVIEWS:  # no choice made, or a step that is not the panel's
            raise NotAllowed("forbidden" if action in lifecycle.ACTIONS else "unknown_action")
        decisions.take(referral, user, action, reasons)

    return records.take_step(reference, user, action, step)


def page(referral: Referral, user: User, locale: str) -> dict[str, Any]:
    """The referral as a panel member reads it: the proposal under review, and whether they may review it."""
    context = records.summary(referral, locale)
    return {
        **context,
        "proposal": next((e for e in reversed(context["events"]) if e.action in PROPOSALS), None),
        "independent": referral.proposed_by_id != user.id,
        "reviewable": referral.status in lifecycle.PANEL_STATES,
    }
