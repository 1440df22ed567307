"""Staff strings used in more than one sense carry a context each (msgctxt), so a language can word each
sense its own way: "Submitted" as a step on the timeline, as a heading, and as the date a column shows."""

from __future__ import annotations

import polib
import pytest

from assistant.i18n import catalogue_headers, scope_of
from assistant.i18n_tools import TEMPLATE, catalogue_files

SENSES = {
    "Submitted": {"timeline", "date submitted", "heading of submitted referrals"},
    "Status": {"referral status", "account status"},
    "Continue": {None, "continue a draft"},  # the chat's button, and the link that reopens a draft
    "Passed to the police": {"referral status", "audit"},
    "Positive Reasonable Grounds decision": {"timeline", "audit", "decision choice"},
    "Negative Reasonable Grounds decision": {"referral status", "decision choice"},
    "Positive Conclusive Grounds decision": {"referral status", "timeline", "audit", "decision choice"},
}


@pytest.fixture(scope="module")
def template() -> polib.POFile:
    return polib.pofile(str(TEMPLATE))


@pytest.mark.parametrize("msgid", sorted(SENSES))
def test_each_sense_has_its_own_context(template: polib.POFile, msgid: str) -> None:
    assert {e.msgctxt for e in template if e.msgid == msgid} == SENSES[msgid]


def test_every_catalogue_carried_its_translation_to_each_new_context() -> None:
    for path in catalogue_files():
        if scope_of(catalogue_headers(path)) == "cards":
            continue  # a card language translates no staff string
        catalogue = polib.pofile(str(path))
        for msgid, contexts in SENSES.items():
            said = {e.msgctxt: e.msgstr for e in catalogue if e.msgid == msgid}
            assert set(said) == contexts, (path, msgid)
            assert all(said.values()), (path, msgid, said)
