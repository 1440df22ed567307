"""Proposals and reviews as a .po update: the catalogue's own entries with the reviewed text (and,
if asked, pending proposals marked fuzzy), for developers to merge with `flask i18n merge-reviews`
and check in Poedit or Weblate as usual. Written with Babel, a runtime dependency.
"""

from __future__ import annotations

import io

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from .. import audit
from ..storage.unit_of_work import unit_of_work
from .catalogue import catalogue_codes, texts
from .proposals import standings

REVIEWED = "Reviewed in the translator's workspace."
PROPOSED = "Proposed in the translator's workspace, not yet reviewed."


def languages_with_work() -> list[str]:
    return [code for code in catalogue_codes() if standings(code)]


def export(code: str, include_proposals: bool = False) -> tuple[str, int]:
    """The update for ``code`` as .po text, and how many entries it holds; audited as an export.

    A review of exactly what the catalogue already says, unflagged, changes nothing and is left out."""
    catalogue = Catalog(locale=code.replace("-", "_"), project="nrm-assistant", fuzzy=False)
    catalogue.language_team = f"{code} translators"
    work = standings(code)
    count = 0
    for text in texts(code):
        standing = work.get(text.key)
        if standing is None:
            continue
        row = standing.review or (standing.proposal if include_proposals else None)
        if row is None:
            continue
        forms = tuple(row.forms)
        reviewed = row.kind == "review"
        if reviewed and forms == text.translation and not text.fuzzy:
            continue
        msgid = (text.msgid, text.plural) if text.plural else text.msgid
        string = forms if text.plural else forms[0]
        catalogue.add(
            msgid,
            string,
            context=text.context,
            user_comments=[REVIEWED if reviewed else PROPOSED],
            flags=() if reviewed else ("fuzzy",),
        )
        count += 1
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=100, omit_header=False, include_lineno=False)
    with unit_of_work():
        audit.record("translation-export", f"language:{code}", by_staff=False)
    return buffer.getvalue().decode("utf-8"), count
