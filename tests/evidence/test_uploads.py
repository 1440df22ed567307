"""Resumable uploads over HTTP: types by content, sizes, the offset handshake, and who may upload."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from assistant.extensions import db
from assistant.storage.models import AuditEntry, EvidenceChunk, EvidenceFile
from tests.evidence import samples
from tests.evidence.uploading import Uploader


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_photo_arrives_in_chunks_and_is_kept_with_its_type_from_the_content(app: Flask, chat: Any) -> None:
    chat.start()
    photo = samples.jpeg(size=(600, 400))
    done = Uploader(chat.web, chat.conversation_id).send(photo, chunk_size=1000)
    assert done.status_code == 200
    assert done.json["complete"] is True
    assert done.json["type"] == "jpg"
    assert done.json["offset"] == len(photo)
    assert _count(app, EvidenceChunk) == 0  # the chunks were dropped once the whole file was stored


def test_after_a_lost_chunk_the_client_asks_for_the_offset_and_carries_on(app: Flask, chat: Any) -> None:
    chat.start()
    pdf = samples.pdf() * 50
    up = Uploader(chat.web, chat.conversation_id)
    file_id = up.create(len(pdf)).json["id"]
    assert up.patch(file_id, 0, pdf[:1000]).headers["Upload-Offset"] == "1000"

    # The connection drops; the client does not know whether its next chunk arrived.
    asked = chat.web.head(f"/uploads/{file_id}", headers=up.headers())
    assert asked.status_code == 200
    assert asked.headers["Upload-Offset"] == "1000"
    # A chunk sent again at an offset already passed is refused with the acknowledged one.
    stale = up.patch(file_id, 0, pdf[:1000])
    assert stale.status_code == 409
    assert stale.json["offset"] == 1000

    done = up.patch(file_id, 1000, pdf[1000:])
    assert done.status_code == 200
    assert done.json["complete"]
    assert done.json["type"] == "pdf"


def test_a_file_that_is_not_what_its_name_says_is_refused_in_the_workers_language(app: Flask, chat: Any) -> None:
    chat.start(language="cy")
    refused = Uploader(chat.web, chat.conversation_id).send(samples.executable())
    assert refused.status_code == 415
    assert refused.json["error"]["code"] == "wrong_type"
    assert refused.json["error"]["message"]
    assert _count(app, EvidenceFile) == 0
    assert _count(app, EvidenceChunk) == 0
    with app.app_context():
        assert "evidence-refused" in db.session.scalars(select(AuditEntry.action)).all()


def test_a_zip_that_is_not_a_word_document_is_refused_once_whole(app: Flask, chat: Any) -> None:
    chat.start()
    refused = Uploader(chat.web, chat.conversation_id).send(samples.docx(body="word/other.xml"), chunk_size=100)
    assert refused.status_code == 415
    assert _count(app, EvidenceFile) == 0
    assert _count(app, EvidenceChunk) == 0


def test_a_file_over_25_mb_is_refused_before_anything_is_sent(app: Flask, chat: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    refused = up.create(25 * 1024 * 1024 + 1)
    assert refused.status_code == 413
    assert refused.json["error"]["message"] == "The file must be 25 MB or smaller"
    assert up.create(25 * 1024 * 1024).status_code == 201


def test_more_bytes_than_announced_are_refused_and_nothing_is_kept(app: Flask, chat: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    file_id = up.create(10).json["id"]
    assert up.patch(file_id, 0, samples.png()).status_code == 413
    assert _count(app, EvidenceFile) == 0


def test_at_most_ten_files_per_referral(app: Flask, chat: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    for _ in range(10):
        assert up.create(100).status_code == 201
    eleventh = up.create(100)
    assert eleventh.status_code == 409
    assert eleventh.json["error"]["code"] == "too_many"


def test_only_the_drafts_organisation_may_upload_or_see_the_upload(app: Flask, new_chat: Any, staff: Any) -> None:
    mine = new_chat()
    mine.start()
    file_id = Uploader(mine.web, mine.conversation_id).create(100).json["id"]

    other = Uploader(staff.client("first-responder", "barnardos"), mine.conversation_id)
    assert other.create(100).status_code == 404
    assert other.web.head(f"/uploads/{file_id}").status_code == 404
    assert other.patch(file_id, 0, samples.png()).status_code == 404

    caseworker = staff.client("caseworker")
    assert caseworker.head(f"/uploads/{file_id}").status_code == 403


def test_a_chunk_without_the_csrf_token_is_refused(app: Flask, chat: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    file_id = up.create(100).json["id"]
    response = chat.web.patch(f"/uploads/{file_id}", data=b"x" * 10, headers={"Upload-Offset": "0"})
    assert response.status_code == 400
    assert _count(app, EvidenceChunk) == 0


def test_a_file_can_be_removed_before_submitting(app: Flask, chat: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    file_id = up.send(samples.png()).json["id"]
    assert chat.web.delete(f"/uploads/{file_id}", headers=up.headers()).status_code == 204
    assert _count(app, EvidenceFile) == 0
