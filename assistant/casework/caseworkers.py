"""The single expert unit's work: the queue, claiming, and deciding referrals (records.py for reading)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from .. import conversations
from ..accounts.roles import Role
from ..storage.models import Referral, User
from ..storage.unit_of_work import unit_of_work
from . import categories, decisions, lifecycle, queue, records
from .lifecycle import NotAllowed


@dataclass(frozen=True)
class Queue:
    items: list[queue.QueueItem]  # what matches the filters
    mine: list[queue.QueueItem]  # what the caseworker holds
    target: int  # working days for a Reasonable Grounds decision


def queue_for(user: User, filters: queue.Filters) -> Queue:
    return Queue(queue.listing(filters), queue.claimed_by(user), queue.target())


def claim_next(user: User, filters: queue.Filters) -> Referral | None:
    """Claim the oldest unclaimed referral matching ``filters``; None when there is none."""
    with unit_of_work():
        try:
            return queue.claim_next(user, filters)
        except NotAllowed:  # pragma: no cover - the query only finds claimable referrals
            return None


def open_referral(reference: str, user: User) -> Referral:
    return records.open_referral(reference, user)


def claim(reference: str, user: User) -> Referral:
    return records.take_step(reference, user, "claim", lambda referral: decisions.claim(referral, user))


def release(reference: str, user: User) -> Referral:
    return records.take_step(reference, user, "release", lambda referral: decisions.release(referral, user))


def decide(reference: str, user: User, action: str, reasons: str, police_force: str | None) -> Referral:
    return records.take_step(
        reference,
        user,
        action,
        lambda referral: decisions.take(referral, user, action, reasons, police_force=police_force),
    )


def page(referral: Referral, user: User, locale: str) -> dict[str, Any]:
    """The referral as a caseworker reads it, with what they can do to it now."""
    actions = [a for a in lifecycle.allowed(referral.status) if lifecycle.ACTIONS[a] == Role.CASEWORKER]
    lookups = current_app.extensions["lookups"]
    return {
        **records.summary(referral, locale),
        "actions": actions,
        "user": user,
        "claimable": referral.status in lifecycle.CASEWORK_STATES and referral.claimed_by_id is None,
        "claimed_by_me": referral.claimed_by_id == user.id,
        "police_forces": lookups.entries("police-forces", locale) if "pass-to-police" in actions else [],
        "suggested_police_force": _suggested_police_force(referral),
    }


def _suggested_police_force(referral: Referral) -> str | None:
    """For a Duty to Notify report, the force its answers name, as its flow declares the question."""
    if referral.kind != "dtn":
        return None
    return categories.suggested_police_force(conversations.flow_of(referral).integration, referral.answers)
