"""Rows made directly in the database, for tests that call services rather than pages. All synthetic."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from flask import current_app

from assistant.accounts import users
from assistant.extensions import db
from assistant.storage import store
from assistant.storage.models import Conversation, Organisation, Referral, User, utcnow

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def organisation(slug: str = "salvation-army", kind: str = "ngo") -> Organisation:
    return users.ensure_organisation(db.session, slug, f"Synthetic {slug}", kind)


def user(role: str, organisation_slug: str | None = None) -> User:
    slug = organisation_slug or ("salvation-army" if role == "first-responder" else "single-competent-authority")
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
    return users.create_user(db.session, email, f"Synthetic {role}", role, organisation(slug), PASSWORD)


def conversation(
    owner: User | None = None, status: str = "draft", answers: dict[str, Any] | None = None
) -> Conversation:
    engine = current_app.extensions["flows"].current("nrm")
    flow = engine.flow
    version = store.ensure_flow_version(db.session, flow.id, flow.version, flow.digest, flow.source)
    snapshot = engine.start({}).to_json()
    found = Conversation(
        id=uuid.uuid4().hex,
        flow_version_id=version.id,
        status=status,
        state=snapshot["state"],
        snapshot={**snapshot, "answers": answers or {}},
        language="en",
        organisation_id=owner.organisation_id if owner else None,
        created_by_id=owner.id if owner else None,
    )
    db.session.add(found)
    db.session.flush()
    return found


def referral(owner: User | None = None, submitted_at: dt.datetime | None = None, **columns: Any) -> Referral:
    """A submitted referral awaiting its Reasonable Grounds decision unless ``columns`` say otherwise."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "reference": f"NRM-TEST{number:04d}",
        "kind": "nrm",
        "flow_id": "nrm",
        "flow_version": "test",
        "language": "en",
        "status": "awaiting-rg",
        "answers": {"reference": f"ours-{number}"},
        "age_group": "adult",
        "exploitation": ["labour"],
    }
    values.update(columns)
    found = Referral(
        conversation_id=conversation(owner, status="submitted").id,
        submitted_at=submitted_at or utcnow(),
        organisation_id=owner.organisation_id if owner else None,
        created_by_id=owner.id if owner else None,
        **values,
    )
    db.session.add(found)
    db.session.flush()
    return found
