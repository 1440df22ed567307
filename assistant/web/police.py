"""The police liaison's pages: their force's report summaries and counts (assistant/police.py), and
their CSV export. Another force's pages answer 404, as if they did not exist; other roles get 403."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from babel import dates
from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse

from .. import police as service
from ..access import current_staff, roles_required
from ..accounts.roles import Role
from ..i18n import formatting_locale
from .labels import EXPLOITATION, KIND
from .staff import page
from .statistics_words import LABELS, quarter

# The two categories only these summaries show (assistant/engine/integration.py).
OTHER_VICTIMS = {"yes": _l("Yes"), "no": _l("No"), "not-sure": _l("Not sure")}
EXPLOITER_CONTACT = {
    "last-month": _l("In the last month"),
    "last-year": _l("Between 1 and 12 months ago"),
    "over-a-year": _l("More than a year ago"),
    "not-sure": _l("Not sure"),
}

police = Blueprint("police", __name__, url_prefix="/police")


@police.before_request
@roles_required(Role.POLICE_LIAISON)
def _liaisons_only() -> None:
    """Every page here is for signed-in police liaisons."""


@police.get("/")
def home() -> BaseResponse | str:
    force = current_staff().police_force_area
    if not force:
        return page("police/no_force.html")
    return redirect(url_for("police.summaries", force=force))


@police.get("/<force>/")
def summaries(force: str) -> str | tuple[str, int]:
    which = _asked(force)
    if which is None:
        return _page(force, None), 400
    return _page(force, service.viewed(force, which))


@police.get("/<force>/export.csv")
def export(force: str) -> Response | tuple[str, int]:
    which = _asked(force)
    if which is None:
        return _page(force, None), 400
    made = service.viewed(force, which, export=True)
    headers = {"Content-Disposition": f'attachment; filename="police-{force}-{which}.csv"'}
    return Response(_as_csv(made), mimetype="text/csv", headers=headers)


def _asked(force: str) -> str | None:
    """The quarter asked for, once the force in the path is known to be the liaison's own (404 otherwise)."""
    if not service.may_see(current_staff(), force):
        abort(404)
    return service.chosen_quarter(request.args.get("quarter"))


def month_name(month: dt.date, short: bool = False) -> str:
    """The month and year ("July 2026"), or shortened ("Jul 2026") over a column of counts on a phone."""
    return dates.format_date(month, "LLL y" if short else "LLLL y", locale=formatting_locale(str(get_locale())))


def _words(made: service.ForceReport) -> dict[str, str]:
    return {
        "force": service.force_label(made.force, str(get_locale())),
        "quarter": quarter(made.quarter.replace("Q", "-Q")),
    }


def _page(force: str, made: service.ForceReport | None) -> str:
    offered = service.ended_quarters()
    return page(
        "police/summaries.html",
        force=force,
        force_name=service.force_label(force, str(get_locale())),
        made=made,
        offered=[(key, quarter(key.replace("Q", "-Q"))) for key in offered],
        chosen=made.quarter if made else None,
        error=None if made else _("Choose one of the quarters offered."),
        month_name=month_name,
        exploitation=EXPLOITATION,
        kinds=KIND,
        places=LABELS["exploitation_place"],
        other_victims=OTHER_VICTIMS,
        exploiter_contact=EXPLOITER_CONTACT,
    )


def _as_csv(made: service.ForceReport) -> str:
    """The counts (rounded to 5, as every export) and then one line a summary, in the liaison's language."""
    out = io.StringIO()
    write = csv.writer(out).writerow
    words = _words(made)
    write([_("Reports passed to %(force)s, %(quarter)s", **words)])
    write([_("Exploitation type"), *(month_name(m) for m in made.months), _("Quarter")])
    for name, cells in made.rows:
        write([str(EXPLOITATION[name]), *(service.rounded(cell) for cell in cells)])
    write([_("All reports"), *(service.rounded(cell) for cell in made.totals)])
    write([])
    write(
        [
            _("Month"),
            _("Kind"),
            _("Exploitation type"),
            _("Where it happened"),
            _("Police force area"),
            _("Others exploited too"),
            _("Last contact with the exploiters"),
        ]
    )
    for summary in made.summaries:
        types = ", ".join(str(EXPLOITATION[name]) for name in summary.exploitation)
        write(
            [
                month_name(summary.month),
                str(KIND.get(summary.kind, summary.kind)),
                types,
                _said(LABELS["exploitation_place"], summary.place),
                words["force"],
                _said(OTHER_VICTIMS, summary.other_victims),
                _said(EXPLOITER_CONTACT, summary.exploiter_contact),
            ]
        )
    return out.getvalue()


def _said(words: dict[str, Any], key: str | None) -> str:
    return str(words[key]) if key in words else _("Not recorded")
