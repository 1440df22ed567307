"""Taking a step on a referral: claim, release, decide, review, reconsider, pass to the police.

Each function works inside the caller's unit of work on a referral the caller has locked
(``get_for_update``): it checks the actor may take the step, applies the lifecycle, and adds the
timeline event and the audit entry. The caller commits (or rolls back on NotAllowed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import select

from .. import audit
from ..accounts.roles import Actor, Role
from ..extensions import db
from ..storage.models import Referral, ReferralEvent, User, utcnow
from . import lifecycle
from .lifecycle import NotAllowed

MAX_REASONS = 5000


def get_for_update(reference: str) -> Referral | None:
    query = select(Referral).where(Referral.reference == reference).with_for_update(of=Referral)
    return db.session.scalars(query).first()


def record_submitted(referral: Referral, user: Actor | None) -> None:
    referral.status = lifecycle.initial_status(referral.kind)
    actor_id = user.id if user else None  # by id: the chat's actor is a connection's record, not a loaded User
    db.session.add(ReferralEvent(referral=referral, action="submitted", actor_id=actor_id, status=referral.status))


def claim(referral: Referral, user: User) -> None:
    """Take the referral to work on it. Nobody else can decide it while the claim lasts."""
    _need_role(user, Role.CASEWORKER)
    if referral.status not in lifecycle.CASEWORK_STATES:
        raise NotAllowed("wrong_status")
    if referral.claimed_by_id == user.id:
        return  # already theirs: a repeated claim changes nothing
    if referral.claimed_by_id is not None:
        raise NotAllowed("claimed_by_other")
    referral.claimed_by_id, referral.claimed_at = user.id, utcnow()
    db.session.add(ReferralEvent(referral=referral, action="claimed", actor=user, status=referral.status))
    audit.record("claim", referral.reference, actor=user)


def release(referral: Referral, user: User) -> None:
    _need_role(user, Role.CASEWORKER)
    if referral.claimed_by_id != user.id:
        raise NotAllowed("not_claimed")
    _unclaim(referral)
    db.session.add(ReferralEvent(referral=referral, action="released", actor=user, status=referral.status))
    audit.record("release", referral.reference, actor=user)


def take(
    referral: Referral,
    user: User,
    action: str,
    reasons: str = "",
    police_force: str | None = None,
    now: dt.datetime | None = None,
) -> ReferralEvent:
    """Take a decision, panel or reconsideration step (lifecycle.ACTIONS) as ``user``."""
    role = lifecycle.role_for(action)
    _need_role(user, role)
    if role == Role.CASEWORKER and referral.claimed_by_id != user.id:
        raise NotAllowed("not_claimed")
    if action == "reconsider" and referral.organisation_id != user.organisation_id:
        raise NotAllowed("forbidden")
    reasons = reasons.strip()
    if action in lifecycle.NEEDS_REASONS and not reasons:
        raise NotAllowed("reasons_required")
    if len(reasons) > MAX_REASONS:
        raise NotAllowed("reasons_too_long")
    lookups = current_app.extensions["lookups"]
    if action == "pass-to-police" and (not police_force or lookups.entry("police-forces", police_force) is None):
        raise NotAllowed("police_force_required")
    case = lifecycle.Case(
        state=referral.status,
        actor_id=user.id,
        now=now or utcnow(),
        recovery_ends_at=referral.recovery_ends_at,
        proposed_by_id=referral.proposed_by_id,
    )
    days = current_app.config["RECOVERY_PERIOD_DAYS"]
    step = lifecycle.apply(case, action, dt.timedelta(days=days))
    _record_outcome(referral, action, step.status, case.now)
    if action in STATISTICS_ACTIONS:
        _forget_statistics(case.now)
    referral.status = step.status
    referral.recovery_ends_at = step.recovery_ends_at
    referral.proposed_by_id = step.proposed_by_id
    if action == "pass-to-police":
        referral.police_force = police_force
    if role == Role.CASEWORKER:
        _unclaim(referral)
    detail: dict[str, Any] = {}
    if reasons:
        detail["reasons"] = reasons
    if police_force and action == "pass-to-police":
        detail["police_force"] = police_force
    event = ReferralEvent(referral=referral, action=action, actor=user, status=referral.status, detail=detail or None)
    db.session.add(event)
    audit.record(action, referral.reference, actor=user)
    db.session.flush()
    return event


# The statuses in which a Reasonable or Conclusive Grounds decision has taken effect, for the statistics.
OUTCOMES = {
    lifecycle.RG_POSITIVE: ("rg", "positive"),
    lifecycle.RG_NEGATIVE: ("rg", "negative"),
    lifecycle.CG_POSITIVE: ("cg", "positive"),
    lifecycle.CG_NEGATIVE: ("cg", "negative"),
}


# The steps the statistics count: a decision that takes effect, and a panel review.
STATISTICS_ACTIONS = ("rg-positive", "cg-positive", "uphold", "send-back")


def _record_outcome(referral: Referral, action: str, status: str, now: dt.datetime) -> None:
    """A decision that takes effect (a positive one, or an upheld negative) is kept in the clear: the
    latest one counts, so a reconsidered decision counts once, as decided again."""
    if action not in ("rg-positive", "cg-positive", "uphold") or status not in OUTCOMES:
        return
    decision, outcome = OUTCOMES[status]
    setattr(referral, f"{decision}_outcome", outcome)
    setattr(referral, f"{decision}_decided_at", now)


def _forget_statistics(now: dt.datetime) -> None:
    """A decision or a panel review counts in the quarter it is dated in: drop that quarter's kept
    statistics, should they be kept (only when the quarter has ended, so only if the clock is moved)."""
    from .. import quarterly_cache  # here: the statistics import the casework rules

    quarterly_cache.forget(now)


def _need_role(user: User, role: str) -> None:
    if user.role != role:
        raise NotAllowed("forbidden")


def _unclaim(referral: Referral) -> None:
    referral.claimed_by_id, referral.claimed_at = None, None
