"""Cursor paging of the intake queue and acknowledgements (assistant/intake.py), and the API clients'
tokens (assistant/accounts/api_clients.py), called with a database session rather than over HTTP."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from sqlalchemy import select

from assistant import intake
from assistant.accounts import api_clients
from assistant.extensions import db
from assistant.storage.models import ApiClient, AuditEntry
from tests import factories


@pytest.mark.parametrize(("cursor", "referral_id"), [("c0", 0), ("c1", 1), ("cff", 255), ("c" + "f" * 15, 2**60 - 1)])
def test_a_cursor_is_a_referral_id_in_hex(cursor: str, referral_id: int) -> None:
    assert intake.decode_cursor(cursor) == referral_id
    assert intake.encode_cursor(referral_id) == cursor


@pytest.mark.parametrize("cursor", ["", "c", "c01", "cFF", "1", "c-1", "c" + "1" * 16, "c1 "])
def test_anything_else_is_not_a_cursor(cursor: str) -> None:
    assert intake.decode_cursor(cursor) is None


def test_pages_give_every_referral_once_in_submission_order(app: Flask) -> None:
    with app.app_context():
        client = api_clients.authenticate(api_clients.create("case-system")[1])
        assert client is not None
        references = [factories.referral().reference for _ in range(5)]
        db.session.commit()
        seen: list[str] = []
        after = 0
        for _ in range(4):
            page = intake.read_page(client.id, client.target, after, 2, unacknowledged=False, lock_timeout="1s")
            seen += [record["reference"] for record in page.referrals]
            after = intake.decode_cursor(page.next_cursor)  # type: ignore[assignment]
        assert seen == references
        assert page.referrals == []
        assert intake.decode_cursor(page.next_cursor) == after  # an empty page keeps the cursor
        reads = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api-read")).all()
        assert {(e.target, e.actor_id) for e in reads} == {("api:case-system", None)}
        assert len(reads) == 4


def test_acknowledging_is_idempotent_and_per_client(app: Flask) -> None:
    with app.app_context():
        one = api_clients.authenticate(api_clients.create("one")[1])
        other = api_clients.authenticate(api_clients.create("other")[1])
        assert one is not None
        assert other is not None
        first, second = factories.referral(), factories.referral()
        db.session.commit()
        reference, at = intake.acknowledge(one.id, one.target, first.reference.lower())  # type: ignore[misc]
        assert reference == first.reference
        assert at is not None
        assert intake.acknowledge(one.id, one.target, first.reference) == (reference, at)
        assert intake.acknowledge(one.id, one.target, "NRM-NOSUCH") is None
        mine = intake.read_page(one.id, one.target, 0, 10, unacknowledged=True, lock_timeout="1s")
        theirs = intake.read_page(other.id, other.target, 0, 10, unacknowledged=True, lock_timeout="1s")
        assert [r["reference"] for r in mine.referrals] == [second.reference]
        assert [r["reference"] for r in theirs.referrals] == [first.reference, second.reference]
        acknowledged = intake.read_page(one.id, one.target, 0, 10, unacknowledged=False, lock_timeout="1s")
        assert [r["acknowledged_at"] is not None for r in acknowledged.referrals] == [True, False]
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api-acknowledge")).all()
        assert [(e.target, e.actor_id) for e in entries] == [(first.reference, None)]  # once only


def test_only_a_tokens_hash_is_kept_and_a_disabled_token_is_refused(app: Flask) -> None:
    with app.app_context():
        client, token = api_clients.create("case-system")
        stored = db.session.scalars(select(ApiClient)).one()
        assert token.startswith(api_clients.TOKEN_PREFIX)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert api_clients.authenticate(token) == api_clients.Caller(client.id, "api:case-system")
        assert api_clients.authenticate(token + "x") is None
        api_clients.disable("case-system")
        assert api_clients.authenticate(token) is None
        with pytest.raises(api_clients.ClientError) as refused:
            api_clients.create("case-system")
        assert refused.value.code == "name_taken"
        with pytest.raises(api_clients.ClientError) as refused:
            api_clients.create("42")
        assert refused.value.code == "name"
