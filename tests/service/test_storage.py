"""Personal data is encrypted at rest, and a value cannot be moved to another column."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from flask import Flask
from sqlalchemy import text

from assistant.extensions import db
from assistant.storage.crypto import keyring
from tests.conftest import Chat


def test_answers_are_stored_encrypted(app: Flask, chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "SYNTHETIC-REF-4242")
    with app.app_context():
        rows = db.session.execute(text("SELECT snapshot FROM conversations UNION ALL SELECT ack FROM turns")).all()
    assert rows
    for (stored,) in rows:
        assert stored.startswith("v1:test:")
        assert "SYNTHETIC-REF-4242" not in stored


def test_a_ciphertext_does_not_decrypt_under_another_columns_name() -> None:
    sealed = keyring.encrypt(b'{"a": 1}', b"conversations.snapshot")
    assert keyring.decrypt(sealed, b"conversations.snapshot") == b'{"a": 1}'
    with pytest.raises(InvalidTag):
        keyring.decrypt(sealed, b"referrals.answers")
