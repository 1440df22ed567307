"""Every staff page and My referrals write a moment the same way: British in English, in UK time with
its zone, to the minute ("7 December 2026, 08:27 GMT")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from sqlalchemy import update

from assistant.extensions import db
from assistant.storage.models import Conversation, TranslationProposal, User
from tests.conftest import Staff
from tests.translation.helpers import post, string_form, translator

MOMENT = dt.datetime(2026, 12, 7, 8, 27, 16, tzinfo=dt.UTC)  # a winter morning: GMT
SHOWN = "7 December 2026, 08:27 GMT"
# Anything that looks like a time of day with a UK zone, in whichever style a page might write it
ANY_TIME = re.compile(r"[\w/ ,.]{6,30}?\d{1,2}:\d{2}(?::\d{2})? (?:GMT|BST)")
STYLE = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} (?:GMT|BST)")


def test_the_pages_write_a_moment_alike(app: Flask, staff: Staff, chat: Any) -> None:
    chat.start()
    chat.answer("reference", "SYN-DATES-1")
    worker = translator(app, staff, "cy")
    page = worker.get("/translate/cy?group=nrm:report").text
    post(worker, "/translate/cy/propose", {**string_form(page, "reference"), "translation": "Synthetig"}, page)
    admin = staff.client("admin")
    with app.app_context():
        for table, column in (
            (Conversation, Conversation.updated_at),
            (TranslationProposal, TranslationProposal.at),
            (User, User.last_sign_in_at),
        ):
            db.session.execute(update(table).values({column: MOMENT}))
        db.session.commit()
    pages = {
        "workspace": worker.get("/translate/cy?state=proposed").text,
        "audit": admin.get("/admin/audit").text,
        "accounts": admin.get("/admin/users").text,
        "my referrals": chat.web.get("/referrals/").text,
    }
    for name, text in pages.items():
        found = ANY_TIME.findall(text)
        assert found, name
        assert all(STYLE.search(match) for match in found), (name, found)
        assert name == "audit" or SHOWN in text, name  # the audit trail is append-only: its times are now
