"""The conversation that the chat page opens in its own request, so that the first answer needs no `start`.

A page load that is never answered must not leave a new draft behind each time (a reload, a page whose
browser resumes a kept referral instead): the user's newest draft that nothing has happened to yet (no
turn recorded, still in the page's language, on the current flow version) is handed out again.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import exists, select

from . import conversations
from .extensions import db
from .storage.models import Conversation, FlowVersion, Turn, User
from .tokens import resume_token


def open_for_page(user: User, language: str) -> dict[str, str] | None:
    """``{conversation_id, resume_token}`` of a new referral at its first question, or None without a flow."""
    flow_id = current_app.config["DEFAULT_FLOW"]
    engine = conversations.registry().current(flow_id)
    if engine is None:
        return None
    unused = _unused_draft(user, engine.flow.digest, language)
    if unused is not None:
        db.session.rollback()  # nothing to write: end the read transaction
        return {"conversation_id": unused, "resume_token": resume_token(current_app.secret_key or "", unused)}
    conversation_id, turn = conversations.start(flow_id, language, None, user)
    return {"conversation_id": conversation_id, "resume_token": str(turn["resume_token"])}


def _unused_draft(user: User, digest: str, language: str) -> str | None:
    untouched = ~exists().where(Turn.conversation_id == Conversation.id)
    query = (
        select(Conversation.id)
        .join(FlowVersion, Conversation.flow_version_id == FlowVersion.id)
        .where(
            Conversation.created_by_id == user.id,
            Conversation.organisation_id == user.organisation_id,
            Conversation.status == "draft",
            Conversation.start_msg_id.is_(None),  # opened by a page, not by a client's `start`
            Conversation.language == language,
            FlowVersion.digest == digest,
            untouched,
        )
        .order_by(Conversation.created_at.desc())
        .limit(1)
    )
    found: Any = db.session.scalars(query).first()
    return str(found) if found is not None else None
