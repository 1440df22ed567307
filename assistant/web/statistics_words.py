"""Words for the quarterly statistics tables (assistant/quarterly.py): captions, headings and labels
in the analyst's language. The pages, the CSV and the workbook all take their words from here."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..quarterly import OTHER, Quarterly
from ..statistics import NOT_RECORDED, Table
from .labels import EXPLOITATION, JURISDICTION, KIND

QUARTERS = {
    1: _l("January to March %(year)s"),
    2: _l("April to June %(year)s"),
    3: _l("July to September %(year)s"),
    4: _l("October to December %(year)s"),
}
CAPTIONS: dict[str, Any] = {
    "quarter_kind": _l("Referrals by quarter and type of referral"),
    "age_at_exploitation": _l("By age at exploitation"),
    "gender": _l("By gender"),
    "nationality": _l("By nationality (the 20 most common, then all others)"),
    "exploitation": _l("By type of exploitation (a referral may count under several)"),
    "exploitation_combination": _l("By combination of exploitation types"),
    "exploitation_place": _l("By where the exploitation happened"),
    "organisation_type": _l("By type of referring organisation"),
    "nation": _l("By nation of the referring first responder"),
    "police_force_area": _l("By police force area"),
    "rg_outcome": _l("Reasonable Grounds decisions made, by outcome"),
    "cg_outcome": _l("Conclusive Grounds decisions made, by outcome"),
    "timeliness": _l("Working days from referral to decision"),
    "panel": _l("Panel reviews of negative decisions"),
}
_NOT_RECORDED = _l("Not recorded")  # every table's row for a category left empty
LABELS: dict[str, dict[str, Any]] = {
    "kind": {**KIND, "total": _l("All referrals")},
    "age_at_exploitation": {
        "adult": _l("Adult (18 or over)"),
        "child": _l("Child (17 or under)"),
        "unknown": _l("Age not specified or unknown"),
    },
    "gender": {"female": _l("Female"), "male": _l("Male"), "other": _l("Other")},
    "nationality": {OTHER: _l("All other nationalities")},  # the rest after the 20 most common
    "exploitation": EXPLOITATION,
    "exploitation_place": {
        "uk": _l("UK"),
        "overseas": _l("Overseas"),
        "uk-and-overseas": _l("UK and overseas"),
    },
    "organisation_type": {
        "government": _l("Government agency"),
        "local-authority": _l("Local authority"),
        "police": _l("Police"),
        "ngo": _l("NGO or third sector"),
    },
    "nation": JURISDICTION,
    "rg_outcome": {"positive": _l("Positive"), "negative": _l("Negative")},
    "cg_outcome": {"positive": _l("Positive"), "negative": _l("Negative")},
    "decision": {"rg": _l("Reasonable Grounds"), "cg": _l("Conclusive Grounds")},
    "panel": {"upheld": _l("Upheld"), "sent-back": _l("Sent back")},
}


def quarter(key: str) -> str:
    """ "2025-Q1" as "January to March 2025"."""
    year, number = key.split("-Q")
    return str(QUARTERS[int(number)]) % {"year": int(year)}


def label(table: str, key: str) -> str:
    """A row's label: the table's own word, a list's name (nationalities, police forces) or a combination.
    A key means what its table says it means: gender's "other" is not the nationalities' "other"."""
    if key == NOT_RECORDED:
        return str(_NOT_RECORDED)
    if key in LABELS.get(table, {}):
        return str(LABELS[table][key])
    if table == "nationality":
        return _lookups().label("nationalities", key, str(get_locale()))
    if table == "police_force_area":
        return _lookups().label("police-forces", key, str(get_locale()))
    if table == "exploitation_combination":
        return " & ".join(str(EXPLOITATION.get(part, part)) for part in key.split("+"))
    return key


def worded(found: Quarterly) -> Quarterly:
    """The tables with their captions and every row's label in the analyst's language."""
    found.national.caption = str(CAPTIONS["quarter_kind"])
    for table in found.tables:
        word(table)
    return found


def word(table: Table) -> Table:
    table.caption = str(CAPTIONS.get(table.key, table.key))
    for cell in table.cells:
        cell.label = label(table.key, cell.key)
    return table


def _lookups() -> Any:
    return current_app.extensions["lookups"]
