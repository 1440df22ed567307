"""Claim next under contention: caseworkers claiming at once never get the same referral.

On PostgreSQL (TEST_DATABASE=postgresql, a throw-away database) the claim locks its row and skips rows
other transactions hold; on SQLite every transaction holds the write lock. Either way, every referral
is claimed exactly once."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from assistant.casework import decisions, queue
from assistant.extensions import db
from assistant.references import new_reference
from assistant.storage import store
from assistant.storage.models import Conversation, Referral, ReferralEvent, User, utcnow
from tests.conftest import Staff

WORKERS, REFERRALS = 8, 30


def seed(app: Flask, count: int) -> set[str]:
    """Submitted referrals straight into the queue (no chat: what is tested here is only the claiming)."""
    with app.app_context():
        version = store.ensure_flow_version(db.session, "nrm", "1", uuid.uuid4().hex, "synthetic")
        references = set()
        for i in range(count):
            conversation = Conversation(
                id=uuid.uuid4().hex,
                flow_version=version,
                status="submitted",
                state="submitted",
                snapshot={"state": "submitted", "answers": {}},
                language="en",
            )
            referral = Referral(
                reference=new_reference("nrm"),
                kind="nrm",
                conversation_id=conversation.id,
                flow_id="nrm",
                flow_version="1",
                language="en",
                answers={},
                exploitation=["labour"],
                submitted_at=utcnow() - dt.timedelta(minutes=count - i),
            )
            db.session.add(conversation)
            db.session.flush()  # no relationship tells the unit of work to insert the conversation first
            db.session.add(referral)
            decisions.record_submitted(referral, None)
            references.add(referral.reference)
        db.session.commit()
        return references


def test_concurrent_claim_next_never_gives_a_referral_twice(app: Flask, staff: Staff) -> None:
    references = seed(app, REFERRALS)
    caseworkers = [staff.user("caseworker").id for _ in range(WORKERS)]
    claimed: dict[int, list[str]] = {user_id: [] for user_id in caseworkers}
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def work(user_id: int) -> None:
        try:
            with app.app_context():
                start.wait()
                while True:
                    user = db.session.get(User, user_id)
                    referral = queue.claim_next(user, queue.Filters(kind="nrm"))
                    if referral is None:
                        db.session.rollback()
                        return
                    claimed[user_id].append(referral.reference)
                    db.session.commit()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(user_id,)) for user_id in caseworkers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)

    everything = [reference for got in claimed.values() for reference in got]
    assert Counter(everything).most_common(1)[0][1] == 1  # nobody got a referral someone else got
    assert set(everything) == references  # and none was left behind
    with app.app_context():
        holders = dict(db.session.execute(select(Referral.reference, Referral.claimed_by_id)).all())
        assert {reference: holders[reference] for reference in everything} == {
            reference: user_id for user_id, got in claimed.items() for reference in got
        }
        claims = db.session.scalar(
            select(func.count()).select_from(ReferralEvent).where(ReferralEvent.action == "claimed")
        )
        assert claims == REFERRALS
