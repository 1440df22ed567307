"""A referral as the central unit and the panel read it, and the steps they take on it by reference.

Reading a referral is audited. A step runs in one unit of work: the row is locked, the step taken
(decisions.py) and committed; a refused step is rolled back, then noted on the audit trail with the
view of the page that shows the refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import current_app

from .. import audit, conversations
from ..access import NotFound
from ..engine import Snapshot
from ..evidence import access
from ..extensions import db
from ..presenter import Presenter
from ..storage import store
from ..storage.models import Referral, User
from ..storage.unit_of_work import unit_of_work
from . import categories, decisions, lifecycle, queue
from .lifecycle import NotAllowed


class Refused(Exception):
    """A step was refused (``code`` as NotAllowed's); ``referral`` is the referral as it now stands."""

    def __init__(self, code: str, referral: Referral) -> None:
        super().__init__(code)
        self.code, self.referral = code, referral


def find(reference: str) -> Referral:
    referral = store.get_referral(db.session, reference)
    if referral is None:
        raise NotFound(reference)
    return referral


def lock(reference: str) -> Referral:
    referral = decisions.get_for_update(reference)
    if referral is None:
        raise NotFound(reference)
    return referral


def open_referral(reference: str, user: User, visible: Callable[[Referral], bool] = lambda _referral: True) -> Referral:
    """The referral, if ``visible`` to the reader, with the reading on the audit trail."""
    with unit_of_work():
        referral = find(reference)
        if not visible(referral):
            raise NotFound(reference)
        audit.record("view", referral.reference, actor=user)
    return referral


def take_step(reference: str, user: User, action: str, step: Callable[[Referral], object]) -> Referral:
    """Lock the referral and take ``step`` on it in one unit of work; raise Refused if NotAllowed."""
    try:
        with unit_of_work():
            referral = lock(reference)
            step(referral)
        return referral
    except NotAllowed as error:
        with unit_of_work():
            if action in audit.ACTIONS:
                audit.record(action, reference, outcome="refused", actor=user)
            referral = find(reference)
            audit.record("view", referral.reference, actor=user)
        raise Refused(error.code, referral) from error


def summary(referral: Referral, locale: str) -> dict[str, Any]:
    """What the shared referral view shows: summary, answers by section, and the timeline."""
    conversation = store.get_conversation(db.session, referral.conversation_id)
    lookups = current_app.extensions["lookups"]
    sections: list[dict[str, Any]] = []
    if conversation is not None and not referral.synthetic:  # `flask demo seed` writes categories, no answers
        presenter = Presenter(conversations.engine_for(conversation), lookups, locale)
        sections = presenter.review(Snapshot.from_json(conversation.snapshot))["sections"]
    events = store.referral_events(db.session, referral.id)
    days = queue.days_waiting(referral)
    ends = referral.recovery_ends_at
    force = lookups.entry("police-forces", referral.police_force or "")
    return {
        "referral": referral,
        "organisation_name": referring_organisation(referral),
        "sections": sections,
        "events": events,
        "days_waiting": days,
        "overdue": queue.is_overdue(referral, days),
        "target": queue.target() if referral.status == lifecycle.AWAITING_RG else None,
        "recovery_ends_at": ends,
        "recovery_over": ends is not None and ends <= dt.datetime.now(dt.UTC),
        "police_force_name": force.label if force else None,
        "files": access.listing(referral),
    }


def referring_organisation(referral: Referral) -> str | None:
    """The name of the organisation the referral names; of the account's organisation when it names none."""
    named = categories.named_organisation(conversations.flow_of(referral), referral.answers)
    if named is not None:
        return named.label
    return referral.organisation.name if referral.organisation else None
