"""The first responders' service: which decision reasons they read, and that they see only their own
organisation's drafts and referrals. Called with a database session, not through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from assistant.access import NotFound
from assistant.casework import first_responders
from assistant.casework.records import Refused
from assistant.extensions import db
from assistant.storage.models import AuditEntry, Conversation, Referral, ReferralEvent
from tests import factories

START = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)


def timeline(referral: Referral, *actions: str) -> list[ReferralEvent]:
    events = [
        ReferralEvent(referral=referral, action=action, status="any", at=START + dt.timedelta(hours=i))
        for i, action in enumerate(actions)
    ]
    db.session.add_all(events)
    db.session.flush()
    return events


def readable(*actions: str) -> list[str]:
    """The actions of the timeline whose reasons the first responder reads."""
    referral = factories.referral()
    events = timeline(referral, *actions)
    shown = first_responders.status(referral)["show_reasons"]
    return [event.action for event in events if event.id in shown]


@pytest.mark.parametrize(
    ("actions", "shown"),
    [
        (("submitted", "claimed", "rg-positive"), ["rg-positive"]),
        (("submitted", "rg-negative"), []),  # a proposal before the panel: the unit's own working
        (("submitted", "rg-negative", "send-back"), []),  # sent back: it never took effect
        (("submitted", "rg-negative", "uphold"), ["rg-negative", "uphold"]),
        (("rg-negative", "uphold", "reconsider"), ["rg-negative", "uphold", "reconsider"]),
        (("rg-negative", "send-back", "rg-negative", "uphold"), ["rg-negative", "uphold"]),  # only the upheld one
        (("rg-positive", "cg-negative", "uphold"), ["rg-positive", "cg-negative", "uphold"]),
        (("rg-positive", "cg-positive"), ["rg-positive", "cg-positive"]),
    ],
)
def test_reasons_are_read_only_for_decisions_that_took_effect(
    app: Flask, actions: tuple[str, ...], shown: list[str]
) -> None:
    with app.app_context():
        assert readable(*actions) == shown


def test_a_rejected_first_proposal_stays_hidden_when_a_later_one_is_upheld(app: Flask) -> None:
    with app.app_context():
        referral = factories.referral()
        events = timeline(referral, "rg-negative", "send-back", "rg-negative", "uphold")
        shown = first_responders.reasons_in_effect(events)
        assert shown == {events[2].id, events[3].id}


def test_a_first_responder_sees_only_their_organisations_work(app: Flask) -> None:
    with app.app_context():
        mine, colleague = factories.user("first-responder"), factories.user("first-responder")
        other = factories.user("first-responder", "barnardos")
        ours_draft, theirs_draft = factories.conversation(colleague), factories.conversation(other)
        ours, theirs = factories.referral(colleague), factories.referral(other)
        db.session.commit()

        work = first_responders.work_of(mine)
        assert [row["id"] for row in work.drafts] == [ours_draft.id]
        assert [r.reference for r in work.submitted] == [ours.reference]
        assert first_responders.draft(mine, ours_draft.id)["id"] == ours_draft.id
        assert first_responders.open_referral(mine, ours.reference).id == ours.id
        for refused in (
            lambda: first_responders.draft(mine, theirs_draft.id),
            lambda: first_responders.delete_draft(mine, theirs_draft.id),
            lambda: first_responders.open_referral(mine, theirs.reference),
            lambda: first_responders.reconsider(mine, theirs.reference, "New information"),
            lambda: first_responders.open_referral(mine, "NRM-NOSUCH"),
        ):
            with pytest.raises(NotFound):
                refused()
        assert db.session.get(Conversation, theirs_draft.id) is not None
        views = db.session.scalars(select(AuditEntry.target).where(AuditEntry.action == "view")).all()
        assert views == [ours.reference]  # nothing recorded of what was not found


def test_staff_of_other_roles_see_no_first_responders_work(app: Flask) -> None:
    with app.app_context():
        caseworker = factories.user("caseworker")
        referral = factories.referral(factories.user("first-responder"))
        db.session.commit()
        with pytest.raises(NotFound):
            first_responders.open_referral(caseworker, referral.reference)


def test_deleting_a_draft_is_audited_and_a_submitted_one_cannot_be(app: Flask) -> None:
    with app.app_context():
        user = factories.user("first-responder")
        draft = factories.conversation(user)
        submitted = factories.conversation(user, status="submitted")
        db.session.commit()
        first_responders.delete_draft(user, draft.id)
        with pytest.raises(NotFound):
            first_responders.delete_draft(user, submitted.id)
        assert db.session.get(Conversation, draft.id) is None
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.target, entry.actor_id) == ("draft-delete", f"conversation:{draft.id}", user.id)


def test_reconsideration_needs_a_final_negative_decision_and_new_information(app: Flask) -> None:
    with app.app_context():
        user = factories.user("first-responder")
        awaiting = factories.referral(user)
        refused_negative = factories.referral(user, status="rg-negative")
        db.session.commit()
        with pytest.raises(Refused) as refused:
            first_responders.reconsider(user, refused_negative.reference, "  ")
        assert refused.value.code == "reasons_required"
        with pytest.raises(Refused) as refused:
            first_responders.reconsider(user, awaiting.reference, "New information")
        assert refused.value.code == "wrong_status"
        first_responders.reconsider(user, refused_negative.reference, "New information")
        db.session.expire_all()
        assert db.session.get(Referral, refused_negative.id).status == "awaiting-rg"  # type: ignore[union-attr]
