"""First responders' "My referrals": their organisation's drafts and referrals, and nobody else's."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from sqlalchemy import select, update

from assistant.casework import decisions
from assistant.extensions import db
from assistant.storage.models import AuditEntry, Conversation, Referral, User
from tests.conftest import Staff, csrf
from tests.scenarios import ROUTES
from tests.web.chats import complete


def submitted(chat: Any, list_values: dict[str, str], route: str = "child") -> str:
    chat.start()
    complete(chat, ROUTES[route], list_values)
    return str(chat.send("submit")["submitted"]["reference"])


def test_drafts_of_the_organisation_with_days_left_and_a_way_back_in(app: Flask, chat: Any, new_chat: Any) -> None:
    chat.start()
    chat.answer("reference", "SYN-DRAFT-1")
    colleague = new_chat("salvation-army")
    page = colleague.web.get("/referrals/").text
    assert "SYN-DRAFT-1" in page  # a colleague sees the organisation's draft
    assert "Section 1 of 14" in page
    with app.app_context():
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=26)
        db.session.execute(update(Conversation).values(updated_at=old))
        db.session.commit()
    row = re.search(r"SYN-DRAFT-1</td>.*?</tr>", colleague.web.get("/referrals/").text, re.S)
    assert row
    assert '<span class="tag late">4</span>' in row.group(0)
    chat_page = colleague.web.get(f"/?conversation={chat.conversation_id}").text
    assert f'"conversation_id": "{chat.conversation_id}"' in chat_page
    assert f'"resume_token": "{chat.resume_token}"' in chat_page


def test_another_organisation_sees_none_of_it(
    app: Flask, chat: Any, new_chat: Any, list_values: dict[str, str]
) -> None:
    chat.start()
    chat.answer("reference", "SYN-DRAFT-2")
    other = new_chat("salvation-army")
    reference = submitted(other, list_values)
    outsider = new_chat("barnardos").web
    listing = outsider.get("/referrals/").text
    assert "SYN-DRAFT-2" not in listing
    assert reference not in listing
    assert 'id="carry-on"' not in outsider.get(f"/?conversation={chat.conversation_id}").text
    assert outsider.get(f"/referrals/drafts/{chat.conversation_id}/delete").status_code == 404
    token = csrf(outsider.get("/referrals/").text)
    assert (
        outsider.post(f"/referrals/drafts/{chat.conversation_id}/delete", data={"csrf_token": token}).status_code == 404
    )
    assert outsider.get(f"/referrals/{reference}").status_code == 404
    assert (
        outsider.post(
            f"/referrals/{reference}/reconsideration", data={"csrf_token": token, "information": "x"}
        ).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(Conversation, chat.conversation_id) is not None


def test_deleting_a_draft_asks_first_and_is_audited(app: Flask, chat: Any) -> None:
    chat.start()
    chat.answer("reference", "SYN-DRAFT-3")
    confirm = chat.web.get(f"/referrals/drafts/{chat.conversation_id}/delete")
    assert "Delete this draft?" in confirm.text
    assert "SYN-DRAFT-3" in confirm.text
    done = chat.web.post(
        f"/referrals/drafts/{chat.conversation_id}/delete",
        data={"csrf_token": csrf(confirm.text)},
        follow_redirects=True,
    )
    assert "The draft has been deleted." in done.text
    assert "SYN-DRAFT-3" not in done.text
    assert chat.resume()["error"]["code"] == "not_found"
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "draft-delete")).one()
        assert entry.target == f"conversation:{chat.conversation_id}"
        assert entry.actor_id == chat.web.user.id


def test_deleting_needs_the_csrf_token(chat: Any) -> None:
    chat.start()
    assert chat.web.post(f"/referrals/drafts/{chat.conversation_id}/delete").status_code == 400


def test_submitted_referrals_show_their_status_and_timeline(chat: Any, list_values: dict[str, str]) -> None:
    reference = submitted(chat, list_values)
    listing = chat.web.get("/referrals/").text
    assert reference in listing
    assert "Awaiting Reasonable Grounds decision" in listing
    status = chat.web.get(f"/referrals/{reference}").text
    assert "Submitted" in status
    assert "First responder" in status
    assert "Ask for the decision to be reconsidered" not in status  # nothing negative to reconsider


def test_a_negative_decision_upheld_can_be_reconsidered_with_new_information(
    app: Flask, chat: Any, staff: Staff, list_values: dict[str, str]
) -> None:
    reference = submitted(chat, list_values)
    caseworker, panel = staff.user("caseworker"), staff.user("panel")
    with app.app_context():
        referral = decisions.get_for_update(reference)
        assert referral is not None
        decisions.claim(referral, db.session.get(User, caseworker.id))
        decisions.take(referral, db.session.get(User, caseworker.id), "rg-negative", "Synthetic internal reasons.")
        decisions.take(referral, db.session.get(User, panel.id), "uphold", "Synthetic panel reasons.")
        db.session.commit()
    page = chat.web.get(f"/referrals/{reference}").text
    assert "Negative Reasonable Grounds decision" in page
    assert "Synthetic panel reasons." in page  # the decision that took effect, with its reasons
    assert "Synthetic internal reasons." in page  # upheld, the caseworker's reasons are the decision's
    empty = chat.web.post(
        f"/referrals/{reference}/reconsideration", data={"csrf_token": csrf(page), "information": " "}
    )
    assert empty.status_code == 400
    assert "Enter the new information." in empty.text
    sent = chat.web.post(
        f"/referrals/{reference}/reconsideration",
        follow_redirects=True,
        data={"csrf_token": csrf(page), "information": "Synthetic new information."},
    )
    assert "Your request for reconsideration has been sent." in sent.text
    assert "Awaiting Reasonable Grounds decision" in sent.text
    with app.app_context():
        assert db.session.scalars(select(Referral.status).where(Referral.reference == reference)).one() == "awaiting-rg"


def test_a_proposal_the_panel_sent_back_stays_the_units_own_working(
    app: Flask, chat: Any, staff: Staff, list_values: dict[str, str]
) -> None:
    reference = submitted(chat, list_values)
    caseworker, panel = staff.user("caseworker"), staff.user("panel")
    with app.app_context():
        referral = decisions.get_for_update(reference)
        assert referral is not None
        worker, reviewer = db.session.get(User, caseworker.id), db.session.get(User, panel.id)
        decisions.claim(referral, worker)
        decisions.take(referral, worker, "rg-negative", "Synthetic first proposal.")
        decisions.take(referral, reviewer, "send-back", "Synthetic send-back reasons.")
        decisions.claim(referral, worker)
        decisions.take(referral, worker, "rg-positive", "Synthetic positive reasons.")
        db.session.commit()
    page = chat.web.get(f"/referrals/{reference}").text
    assert "Synthetic positive reasons." in page
    assert "Synthetic first proposal." not in page
    assert "Synthetic send-back reasons." not in page
