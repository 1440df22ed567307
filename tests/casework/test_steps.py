"""Steps on a referral by reference (assistant/casework/records.py, caseworkers.py, panel.py): one unit
of work each, and a refused step rolled back and noted on the audit trail. Called without HTTP."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from assistant.access import NotFound
from assistant.casework import caseworkers, panel
from assistant.casework.panel import NotWithPanel
from assistant.casework.records import Refused
from assistant.extensions import db
from assistant.storage.models import AuditEntry, Referral
from tests import factories


def trail() -> list[tuple[str, str | None, str]]:
    return [(e.action, e.target, e.outcome) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_a_refused_decision_changes_nothing_and_is_audited_with_the_view(app: Flask) -> None:
    with app.app_context():
        caseworker = factories.user("caseworker")
        referral = factories.referral()
        db.session.commit()
        with pytest.raises(Refused) as refused:
            caseworkers.decide(referral.reference, caseworker, "rg-positive", "Reasons", None)
        assert refused.value.code == "not_claimed"
        assert refused.value.referral.status == "awaiting-rg"
        assert trail() == [("rg-positive", referral.reference, "refused"), ("view", referral.reference, "ok")]


def test_claiming_then_deciding_commits_each_step(app: Flask) -> None:
    with app.app_context():
        caseworker = factories.user("caseworker")
        referral = factories.referral()
        db.session.commit()
        caseworkers.claim(referral.reference, caseworker)
        caseworkers.decide(referral.reference, caseworker, "rg-negative", "Reasons", None)
        db.session.rollback()  # what is left is what was committed
        stored = db.session.scalars(select(Referral)).one()
        assert (stored.status, stored.claimed_by_id, stored.proposed_by_id) == (
            "rg-negative-proposed",
            None,
            caseworker.id,
        )
        assert [a for a, _t, _o in trail()] == ["claim", "rg-negative"]


def test_the_panel_sees_and_reviews_only_what_is_with_it(app: Flask) -> None:
    with app.app_context():
        member = factories.user("panel", "independent-panel")
        proposer = factories.user("caseworker")
        waiting = factories.referral(status="rg-negative-proposed", proposed_by_id=proposer.id)
        decided = factories.referral(status="rg-negative")
        db.session.commit()
        assert [r.reference for r in panel.waiting()] == [waiting.reference]
        with pytest.raises(NotFound):
            panel.open_referral(decided.reference, member)
        with pytest.raises(NotWithPanel):
            panel.review(decided.reference, member, "uphold", "Reasons")
        with pytest.raises(Refused) as refused:
            panel.review(waiting.reference, member, "rg-positive", "Reasons")
        assert refused.value.code == "forbidden"
        panel.review(waiting.reference, member, "uphold", "Reasons")
        assert [(a, o) for a, _t, o in trail()] == [("rg-positive", "refused"), ("view", "ok"), ("uphold", "ok")]


def test_a_decision_that_takes_effect_is_kept_for_the_statistics(app: Flask) -> None:
    with app.app_context():
        caseworker = factories.user("caseworker")
        member = factories.user("panel", "independent-panel")
        positive, negative = factories.referral(), factories.referral()
        db.session.commit()
        caseworkers.claim(positive.reference, caseworker)
        caseworkers.decide(positive.reference, caseworker, "rg-positive", "Reasons", None)
        caseworkers.claim(negative.reference, caseworker)
        caseworkers.decide(negative.reference, caseworker, "rg-negative", "Reasons", None)
        assert (negative.rg_outcome, negative.rg_decided_at) == (None, None)  # only proposed so far
        panel.review(negative.reference, member, "uphold", "Reasons")
        db.session.rollback()
        assert positive.rg_outcome == "positive"
        assert positive.rg_decided_at is not None
        assert negative.rg_outcome == "negative"
        assert negative.rg_decided_at is not None
        assert (positive.cg_outcome, negative.cg_outcome) == (None, None)
