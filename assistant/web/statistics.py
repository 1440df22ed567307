"""The analysts' statistics pages: the suppressed tables (assistant/statistics.py), worded, and their CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import statistics as service
from ..access import roles_required
from ..accounts.roles import Role
from ..statistics import NOT_RECORDED, SMALL, WITHHELD, Cell, Tallies, suppress
from .dates import bounds, date_range
from .labels import AGE_GROUP, EXPLOITATION, JURISDICTION, KIND, STATUS
from .staff import page

# The suppression rules are assistant/statistics.py's; their names stay importable from here too.
__all__ = ["SMALL", "WITHHELD", "Cell", "statistics", "suppress"]
statistics = Blueprint("statistics", __name__, url_prefix="/statistics")
QUARTERS = {
    1: _l("January to March %(year)s"),
    2: _l("April to June %(year)s"),
    3: _l("July to September %(year)s"),
    4: _l("October to December %(year)s"),
}


@statistics.before_request
@roles_required(Role.ANALYST)
def _analysts_only() -> None:
    """Every page here is for signed-in analysts."""


@statistics.get("/")
def overview() -> str | tuple[str, int]:
    period, problem = date_range(request.args)
    if problem is not None:
        field_id, message = problem
        return page("statistics/overview.html", tallies=None, period=period, error=message, error_field=field_id), 400
    return page("statistics/overview.html", tallies=_worded(service.tallies(*bounds(period))), period=period)


@statistics.get("/export.csv")
def export() -> Response | tuple[str, int]:
    period, problem = date_range(request.args)
    if problem is not None:
        field_id, message = problem
        return page("statistics/overview.html", tallies=None, period=period, error=message, error_field=field_id), 400
    counted = _worded(service.export(*bounds(period), days=(period["from"], period["to"])))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Table"), _("Category"), _("Label"), _("Count")])
    writer.writerow(["total", "total", _("All referrals"), counted.total.shown])
    for table in counted.tables:
        for cell in table.cells:
            writer.writerow([table.key, cell.key, cell.label, cell.shown])
    name = "-".join(["nrm-statistics", *(value for value in (period["from"], period["to"]) if value)])
    # A byte-order mark, so spreadsheet programs read the labels of every language as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _worded(counted: Tallies) -> Tallies:
    """The service's tables with their captions and labels in the analyst's language."""
    jurisdictions = {**JURISDICTION, NOT_RECORDED: _l("Not recorded")}
    words: dict[str, tuple[str, dict[str, Any]]] = {
        "kind": (_("By type of referral"), KIND),
        "age_group": (_("By age group"), AGE_GROUP),
        "jurisdiction": (_("By part of the UK"), jurisdictions),
        "exploitation": (_("By type of exploitation (a referral may have several)"), EXPLOITATION),
        "status": (_("By status"), STATUS),
        "quarter": (_("By quarter submitted"), {}),
    }
    for table in counted.tables:
        table.caption, labels = words[table.key]
        for cell in table.cells:
            cell.label = _quarter(cell.key) if table.key == "quarter" else str(labels.get(cell.key, cell.key))
    counted.total.label = _("All referrals")
    return counted


def _quarter(key: str) -> str:
    year, quarter = key.split("-Q")
    return str(QUARTERS[int(quarter)]) % {"year": int(year)}
