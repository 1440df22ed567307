"""Starting, submitting and deleting a referral are on the audit trail: who did it, and to which
conversation or referral, never what was answered."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from assistant.extensions import db
from assistant.storage.models import AuditEntry
from tests.accounts.test_admin import ROW
from tests.conftest import Staff, csrf
from tests.scenarios import ROUTES
from tests.web.chats import complete


def trail(app: Flask, *actions: str) -> list[tuple[str, str | None, int | None, str | None]]:
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(actions)).order_by(AuditEntry.id)
        ).all()
        return [(e.action, e.target, e.actor_id, e.actor_role) for e in entries]


def test_starting_and_submitting_are_audited_with_the_actor_and_target(
    app: Flask, chat: Any, list_values: dict[str, str]
) -> None:
    chat.start()
    chat.start(client_msg_id="same-start")
    chat.start(client_msg_id="same-start")  # a resent start opens nothing new, and records nothing
    first, second = trail(app, "draft-start")[0][1], chat.conversation_id
    complete(chat, ROUTES["child"], list_values)
    reference = chat.send("submit")["submitted"]["reference"]
    chat.send("submit")  # a resent submit
    me = chat.web.user.id
    assert trail(app, "draft-start", "submit") == [
        ("draft-start", first, me, "first-responder"),
        ("draft-start", f"conversation:{second}", me, "first-responder"),
        ("submit", reference, me, "first-responder"),
    ]


def test_the_no_javascript_form_start_is_audited(app: Flask, staff: Staff) -> None:
    web = staff.client("first-responder")
    web.post("/form/start", data={"csrf_token": csrf(web.get("/form/").text), "client_msg_id": "form-start"})
    assert [action for action, *_ in trail(app, "draft-start")] == ["draft-start"]


def test_the_audit_trail_names_and_filters_the_new_actions(app: Flask, chat: Any, staff: Staff) -> None:
    chat.start()
    confirm = chat.web.get(f"/referrals/drafts/{chat.conversation_id}/delete")
    chat.web.post(f"/referrals/drafts/{chat.conversation_id}/delete", data={"csrf_token": csrf(confirm.text)})
    admin = staff.client("admin")
    page = admin.get("/admin/audit").text
    assert '<option value="draft-start">Started a draft</option>' in page
    assert '<option value="submit">Submitted a referral</option>' in page
    rows = ROW.findall(admin.get("/admin/audit?action=draft-start").text)
    assert len(rows) == 1
    assert "Started a draft" in rows[0]
    assert f"conversation:{chat.conversation_id}" in rows[0]
    assert [action for action, *_ in trail(app, "draft-delete")] == ["draft-delete"]
