"""An upload interrupted for good, or the files of a draft left to expire, are gone after the draft's
retention period; an answer can only name files that arrived whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from assistant import conversations
from assistant.extensions import db
from assistant.storage.models import EvidenceChunk, EvidenceFile
from tests.evidence import samples
from tests.evidence.uploading import QUESTION, Uploader
from tests.web.chats import complete


def _files(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(EvidenceFile)) or 0)


def test_an_interrupted_upload_is_purged_with_the_drafts_after_the_retention_period(app: Flask, chat: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    file_id = up.create(10_000).json["id"]
    assert up.patch(file_id, 0, samples.pdf()).status_code == 200  # then the connection never comes back

    with app.test_request_context():
        soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        assert conversations.purge_stale_drafts(now=soon)[0] == 0
    assert _files(app) == 1

    with app.test_request_context():
        later = dt.datetime.now(dt.UTC) + dt.timedelta(days=app.config["DRAFT_RETENTION_DAYS"] + 1)
        assert conversations.purge_stale_drafts(now=later)[0] == 1
    assert _files(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvidenceChunk)) == 0


def test_an_answer_naming_a_file_that_is_not_there_is_refused(
    app: Flask, chat: Any, list_values: dict[str, str]
) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    unfinished = up.create(10_000).json["id"]
    complete(chat, {}, list_values)
    chat.send("change", question_id=QUESTION)
    for file_id in (unfinished, "f" * 32):
        turn = chat.answer(QUESTION, [{"file": file_id, "description": "A synthetic scan"}])
        assert not turn["ok"], turn
        assert turn["error"]["code"] == "invalid", turn


def test_deleting_a_draft_deletes_its_files(app: Flask, chat: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    assert up.send(samples.png()).status_code == 200
    from tests.conftest import csrf

    token = csrf(chat.web.get(f"/referrals/drafts/{chat.conversation_id}/delete").text)
    chat.web.post(f"/referrals/drafts/{chat.conversation_id}/delete", data={"csrf_token": token})
    assert _files(app) == 0
