"""A file's bytes are never in plaintext in the store, while arriving or once kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

from assistant.extensions import db
from tests.evidence import samples
from tests.evidence.uploading import Uploader

MARKER = b"SYNTHETIC-EVIDENCE-MARKER-7Q2"


def _raw(app: Flask) -> bytes:
    """Every stored byte of the evidence tables, as the database holds them, and the database file."""
    with app.app_context():
        rows = db.session.execute(text("SELECT data FROM evidence_chunks UNION ALL SELECT data FROM evidence_blobs"))
        stored = b"".join(bytes(r[0]) for r in rows)
        database = db.engine.url.database
        sqlite = db.engine.dialect.name == "sqlite"
    on_disk = b""
    if sqlite and database:
        for path in Path(database).parent.glob(Path(database).name + "*"):  # the file, its WAL
            on_disk += path.read_bytes()
    return stored + on_disk


def test_chunks_and_the_whole_file_are_encrypted_at_rest(app: Flask, chat: Any) -> None:
    chat.start()
    pdf = samples.pdf().replace(b"%%EOF", MARKER * 20 + b"\n%%EOF")
    up = Uploader(chat.web, chat.conversation_id)
    file_id = up.create(len(pdf)).json["id"]
    assert up.patch(file_id, 0, pdf[:-50]).status_code == 200

    arriving = _raw(app)
    assert b"v1:test:" in arriving  # a chunk is stored, sealed with the answers' key
    assert MARKER not in arriving

    assert up.patch(file_id, len(pdf) - 50, pdf[-50:]).json["complete"]
    kept = _raw(app)
    assert b"v1:test:" in kept
    assert MARKER not in kept
