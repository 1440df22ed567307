"""Proposals and reviews: what translators say about a string, stored and audited, never written
into a catalogue here (export.py turns them into a .po update for developers to merge).

A string's state in the workspace comes from its latest entry: a proposal waits for review; a review
confirms the text it names (the pending proposal, or else the catalogue's translation). Nobody
reviews their own proposal: a second translator must.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..storage.models import TranslationProposal, User
from ..storage.unit_of_work import unit_of_work
from .catalogue import Text, texts

MAX_LENGTH = 5000
STATES = ("untranslated", "fuzzy", "proposed", "reviewed")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


class ProposalError(ValueError):
    """A proposal or review that cannot be taken: ``code`` says why, in words the view translates."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Standing:
    """Where a string stands: its pending proposal, and its latest review if nothing was proposed since."""

    proposal: TranslationProposal | None = None
    review: TranslationProposal | None = None


def standings(code: str) -> dict[str, Standing]:
    """By string key, for every string with a proposal or a review in ``code``."""
    rows = db.session.scalars(
        select(TranslationProposal).where(TranslationProposal.language == code).order_by(TranslationProposal.id)
    )
    found: dict[str, Standing] = {}
    for row in rows:
        found[row.key] = Standing(proposal=row) if row.kind == "proposal" else Standing(review=row)
    return found


def states(text: Text, standing: Standing | None) -> set[str]:
    """The filters a string matches."""
    found = set()
    if not text.translated:
        found.add("untranslated")
    if text.fuzzy:
        found.add("fuzzy")
    if standing and standing.proposal:
        found.add("proposed")
    if standing and standing.review:
        found.add("reviewed")
    return found


def find(code: str, key: str) -> Text:
    match = next((text for text in texts(code) if text.key == key), None)
    if match is None:
        raise ProposalError("unknown")
    return match


def placeholders(text: str) -> Counter[str]:
    return Counter(a or b for a, b in _PLACEHOLDER.findall(text))


def check_forms(text: Text, forms: list[str]) -> list[str]:
    """The translation's forms, cleaned, if they can stand for ``text``: ProposalError otherwise."""
    forms = [form.strip().replace("\r\n", "\n") for form in forms]
    wanted = len(text.translation) or 1
    if len(forms) != wanted or not all(forms):
        raise ProposalError("empty")
    if any(len(form) > MAX_LENGTH for form in forms):
        raise ProposalError("too_long", count=MAX_LENGTH)
    source = placeholders(text.plural or text.msgid)
    for form in forms:
        found = placeholders(form)
        # a plural's singular may say "one" in words instead of the number, as English does
        if found != source and not (text.plural and found <= source):
            raise ProposalError("placeholders", names=", ".join(sorted(f"%({n})s" for n in source)) or "-")
    return forms


def propose(code: str, key: str, forms: list[str], by: User) -> TranslationProposal:
    text = find(code, key)
    cleaned = check_forms(text, forms)
    with unit_of_work():
        row = _row(code, text, "proposal", cleaned, by)
        audit.record("translation-propose", f"translation:{row.id}", actor=by)
    return row


def review(code: str, key: str, proposal_id: int | None, by: User) -> TranslationProposal:
    """Confirm the text shown to the reviewer: the pending proposal ``proposal_id``, or the catalogue's
    translation when none was pending. Refused when it changed since, or when it is the reviewer's own."""
    text = find(code, key)
    with unit_of_work():
        standing = standings(code).get(key, Standing())
        pending = standing.proposal
        if (pending.id if pending else None) != proposal_id:
            raise ProposalError("changed")
        if pending is not None and pending.by_id == by.id:
            audit.record("translation-review", f"translation:{pending.id}", outcome="refused", actor=by)
            db.session.commit()  # the refusal is on the trail, whatever the caller does next
            raise ProposalError("own")
        forms = list(pending.forms) if pending else list(text.translation)
        if not all(forms) or not forms:
            raise ProposalError("nothing")
        row = _row(code, text, "review", forms, by)
        audit.record("translation-review", f"translation:{row.id}", actor=by)
    return row


def _row(code: str, text: Text, kind: str, forms: list[str], by: User) -> TranslationProposal:
    row = TranslationProposal(
        language=code, key=text.key, context=text.context, msgid=text.msgid, kind=kind, forms=forms, by_id=by.id
    )
    db.session.add(row)
    db.session.flush()
    return row
