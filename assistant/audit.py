"""The audit trail: who did what, when, to which referral or account (never free text)."""

from __future__ import annotations

from flask_login import current_user

from .extensions import db
from .storage.models import AuditEntry, User

# Every action the trail records; docs/data-protection.md lists what each means.
ACTIONS = frozenset(
    {
        "sign-in",
        "sign-in-failed",
        "sign-in-throttled",
        "sign-out",
        "view",
        "claim",
        "release",
        "export",
        "rg-positive",
        "rg-negative",
        "cg-positive",
        "cg-negative",
        "pass-to-police",
        "uphold",
        "send-back",
        "reconsider",
        "draft-delete",
        "user-create",
        "user-disable",
        "user-enable",
        "user-sign-out",
        "api-read",
        "api-acknowledge",
        "api-client-create",
        "api-client-disable",
    }
)


def record(
    action: str, target: str | None = None, outcome: str = "ok", actor: User | None = None, by_staff: bool = True
) -> AuditEntry:
    """Add an entry to the current unit of work (it commits with what it reports).

    The actor is the signed-in member of staff unless given; ``by_staff=False`` records no one (an
    API client, named in the target, even if a staff cookie came with its request)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is None and by_staff and current_user and current_user.is_authenticated:
        actor = current_user.user
    entry = AuditEntry(
        action=action,
        target=target,
        outcome=outcome,
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
    )
    db.session.add(entry)
    return entry
