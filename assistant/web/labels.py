"""Translated names for statuses, timeline steps, roles and categories, for every staff page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel import Locale, dates, units
from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p

from ..clock import LONDON
from ..i18n import Language, describe, formatting_locale

STATUS = {
    "awaiting-rg": _p("referral status", "Awaiting Reasonable Grounds decision"),
    "rg-negative-proposed": _p("referral status", "Negative Reasonable Grounds decision with the panel"),
    "rg-positive": _p("referral status", "Positive Reasonable Grounds: recovery period, then Conclusive Grounds"),
    "rg-negative": _p("referral status", "Negative Reasonable Grounds decision"),
    "cg-negative-proposed": _p("referral status", "Negative Conclusive Grounds decision with the panel"),
    "cg-positive": _p("referral status", "Positive Conclusive Grounds decision"),
    "cg-negative": _p("referral status", "Negative Conclusive Grounds decision"),
    "dtn-received": _p("referral status", "Duty to Notify report received"),
    "passed-to-police": _p("referral status", "Passed to the police"),
}


@dataclass(frozen=True)
class Action:
    """How a casework action (lifecycle.ACTIONS) reads, on every page that names it."""

    # Each sense has its own translation context: one English wording can need three in a language.
    done: Any  # on the timeline, and in the confirmation once taken (context "timeline")
    audited: Any  # in the audit trail ("audit")
    choice: Any = None  # as a choice on a decision form ("decision choice")
    hint: Any = None  # under that choice


ACTION: dict[str, Action] = {
    "rg-positive": Action(
        _p("timeline", "Positive Reasonable Grounds decision"),
        _p("audit", "Positive Reasonable Grounds decision"),
        _p("decision choice", "Positive Reasonable Grounds decision"),
        _l("The recovery period starts. The Conclusive Grounds decision follows once it is over."),
    ),
    "rg-negative": Action(
        _p("timeline", "Negative Reasonable Grounds decision proposed"),
        _p("audit", "Negative Reasonable Grounds decision proposed"),
        _p("decision choice", "Negative Reasonable Grounds decision"),
        _l("It goes to the independent panel, and takes effect only if the panel upholds it."),
    ),
    "cg-positive": Action(
        _p("timeline", "Positive Conclusive Grounds decision"),
        _p("audit", "Positive Conclusive Grounds decision"),
        _p("decision choice", "Positive Conclusive Grounds decision"),
    ),
    "cg-negative": Action(
        _p("timeline", "Negative Conclusive Grounds decision proposed"),
        _p("audit", "Negative Conclusive Grounds decision proposed"),
        _p("decision choice", "Negative Conclusive Grounds decision"),
        _l("It goes to the independent panel, and takes effect only if the panel upholds it."),
    ),
    "uphold": Action(
        _p("timeline", "Negative decision upheld by the panel"),
        _p("audit", "Panel upheld a negative decision"),
        _p("decision choice", "Uphold the negative decision"),
        _l("The decision takes effect."),
    ),
    "send-back": Action(
        _p("timeline", "Sent back by the panel for a new decision"),
        _p("audit", "Panel sent a decision back"),
        _p("decision choice", "Send it back"),
        _l("The referral returns to the unit for a new decision."),
    ),
    "reconsider": Action(
        _p("timeline", "Reconsideration requested with new information"), _p("audit", "Reconsideration requested")
    ),
    "pass-to-police": Action(
        _p("timeline", "Passed to the police force for the area"), _p("audit", "Passed to the police")
    ),
}
# The timeline's steps: the casework actions and the steps around them.
EVENT = {
    "submitted": _p("timeline", "Submitted"),
    "claimed": _p("timeline", "Claimed by a caseworker"),
    "released": _p("timeline", "Released by the caseworker"),
    **{name: action.done for name, action in ACTION.items()},
}
# The choices of the decision forms: (label, hint).
DECISIONS = {name: (action.choice, action.hint) for name, action in ACTION.items() if action.choice is not None}
ROLE = {
    "first-responder": _l("First responder"),
    "caseworker": _l("Caseworker"),
    "panel": _l("Panel member"),
    "analyst": _l("Analyst"),
    "admin": _l("Administrator"),
    "translator": _l("Translator"),
    "police-liaison": _l("Police liaison"),
}
KIND = {"nrm": _l("NRM referral"), "dtn": _l("Duty to Notify report")}
AGE_GROUP = {"adult": _l("Adult"), "child": _l("Child"), "unknown": _l("Age not known")}
JURISDICTION = {
    "england": _l("England"),
    "wales": _l("Wales"),
    "scotland": _l("Scotland"),
    "northern-ireland": _l("Northern Ireland"),
}
EXPLOITATION = {
    "labour": _l("Labour"),
    "sexual": _l("Sexual"),
    "criminal": _l("Criminal"),
    "domestic": _l("Domestic servitude"),
    "organ-harvesting": _l("Organ harvesting"),
    "unknown": _l("Not specified or unknown"),
}


def _label(table: dict[str, Any]) -> Any:
    return lambda value: str(table.get(value, value or ""))


def iso_time(moment: dt.datetime) -> str:
    """For <time datetime>."""
    return moment.isoformat()


def format_date(moment: dt.datetime | dt.date) -> str:
    """A date as staff read it, the one way every page writes one: in UK time, in the page's language
    (our English is British: "7 December 2026")."""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(LONDON).date()
    return dates.format_date(moment, "long", locale=formatting_locale(str(get_locale())))


# The UK's two zones, named as each language names them.
ZONES = {
    # i18n: Greenwich Mean Time, UK time in winter, after a time of day ("14:05 GMT"). Keep it short.
    "GMT": _l("GMT"),
    # i18n: British Summer Time, UK time in summer, after a time of day ("14:05 BST"). Keep it short.
    "BST": _l("BST"),
}


def format_datetime(moment: dt.datetime) -> str:
    """A moment in UK time, in the page's language, with its zone (GMT or BST) so none is misread: the
    one way every staff page writes one ("7 December 2026, 08:27 GMT"). To the minute: lists are in
    order already, and <time datetime> carries the exact moment."""
    locale = Locale.parse(formatting_locale(str(get_locale())))
    local = moment.astimezone(LONDON)
    day = dates.format_date(local.date(), "long", locale=locale)
    time = dates.format_time(local, "short", tzinfo=LONDON, locale=locale)
    zone = local.tzname() or ""
    return f"{locale.datetime_formats['long'].format(time, day)} {ZONES.get(zone, zone)}"


def language_name(code: str) -> Language:
    """A catalogue's language by its names, enabled or not."""
    return describe(code, draft=False)


def format_size(size: int) -> str:
    """A file's size in kB or MB (decimal units, as phones show them), in the page's language."""
    locale = formatting_locale(str(get_locale()))
    if size >= 1_000_000:
        return units.format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale)
    return units.format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short", locale=locale)


def init_labels(app: Flask) -> None:
    """Make the labels and the date formatters available in every template."""
    app.jinja_env.globals.update(
        status_label=_label(STATUS),
        event_label=_label(EVENT),
        role_label=_label(ROLE),
        kind_label=_label(KIND),
        age_label=_label(AGE_GROUP),
        jurisdiction_label=_label(JURISDICTION),
        exploitation_label=_label(EXPLOITATION),
        format_date=format_date,
        format_datetime=format_datetime,
        format_size=format_size,
        iso_time=iso_time,
        language_name=language_name,
    )
