"""The analysts' statistics pages: the quarterly tables (assistant/quarterly.py) under the disclosure
rules (assistant/disclosure.py), worded, and their CSV and workbook exports."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, Response, current_app, request

from .. import disclosure, quarterly_cache
from .. import statistics_report as service
from ..access import roles_required
from ..accounts.roles import Role
from ..clock import LONDON
from ..quarterly import Scope, quarter_bounds, quarter_key
from ..statistics import SMALL, WITHHELD, Cell, suppress
from ..storage.models import utcnow
from .dates import bounds, date_range
from .staff import page
from .statistics_charts import CHARTS, rows
from .statistics_export import XLSX, as_csv, as_workbook
from .statistics_words import LABELS, quarter, worded

# The suppression rules are assistant/statistics.py's; their names stay importable from here too.
__all__ = ["SMALL", "WITHHELD", "Cell", "statistics", "suppress"]
statistics = Blueprint("statistics", __name__, url_prefix="/statistics", cli_group="stats")
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@statistics.before_request
@roles_required(Role.ANALYST)
def _analysts_only() -> None:
    """Every page here is for signed-in analysts."""


@statistics.get("/")
def overview() -> str | tuple[str, int]:
    period, problem = date_range(request.args)
    if problem is not None:
        return _page(period, None, problem), 400
    start, end = bounds(period)
    made = service.report(start, end)
    if made.refusal is None:
        return _page(period, made, None)
    # Tables by category refused for these dates: said as an error on the date that breaks the rule.
    field_id = "from" if start is not None and not disclosure.is_quarter_start(start) else "to"
    return _page(period, made, (field_id, made.refusal)), 400


@statistics.get("/export.csv")
def export() -> Response | tuple[str, int]:
    return _export("csv")


@statistics.get("/export.xlsx")
def export_workbook() -> Response | tuple[str, int]:
    return _export("xlsx")


def _export(form: str) -> Response | tuple[str, int]:
    period, problem = date_range(request.args)
    if problem is not None:
        return _page(period, None, problem), 400
    start, end = bounds(period)
    made = service.export(start, end, f"statistics:{period['from']}..{period['to']}")
    name = "-".join(["nrm-statistics", *(value for value in (period["from"], period["to"]) if value)])
    headers = {"Content-Disposition": f'attachment; filename="{name}.{form}"'}
    if form == "csv":
        return Response(as_csv(made), mimetype="text/csv", headers=headers)
    return Response(as_workbook(made), mimetype=XLSX, headers=headers)


def _page(period: dict[str, str], made: service.Report | None, problem: tuple[str, str] | None) -> str:
    context: dict[str, Any] = {"period": period, "made": made, "labels": LABELS, "quarter": quarter}
    context["current_quarter"] = quarter_key(utcnow())  # counted so far: labelled, and left off the trend line
    context.update(charts=CHARTS, rows=rows)
    if made is not None:
        worded(made.found)
        total = sum(cells[-1].count for _key, cells in made.found.national.rows)
        context["total"] = suppress([Cell("total", "total", total)], adds_up=False)[0]
        if made.cuts is not None:
            start, end = made.cuts
            context["cuts_from"], context["cuts_to"] = start, end - dt.timedelta(seconds=1)  # the last day
    if problem is not None:
        context["error_field"], context["error"] = problem
    return page("statistics/overview.html", **context)


@statistics.cli.command("export")
@click.option("--quarter", "which", required=True, help="An ended quarter, such as 2026Q3 (UK time).")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: nrm-statistics-<quarter>.xlsx"
)
def stats_export(which: str, output: Path | None) -> None:
    """Write the quarter's statistics workbook (one sheet per table, counts rounded to 5; audited)."""
    found = QUARTER.match(which.strip().upper())
    if not found:
        raise click.BadParameter("write the quarter as YYYYQn, such as 2026Q3", param_hint="--quarter")
    start, end = quarter_bounds(int(found[1]), int(found[2]))
    if end > disclosure.quarter_start(utcnow()):
        raise click.ClickException(f"{which} has not ended yet: its tables are made once it has")
    output = output or Path(f"nrm-statistics-{which}.xlsx")
    with current_app.test_request_context():  # the words in the service's default language
        made = service.export(start, end, f"cli:stats:{which}")
        output.write_bytes(as_workbook(made))
    click.echo(f"Wrote {output}.")


@statistics.cli.command("keep")
def stats_keep() -> None:
    """Count and keep every ended quarter's statistics, so that no page has to (after migrating, and
    from a job when a quarter ends; a page otherwise keeps a quarter the first time it is asked for)."""
    end = disclosure.quarter_start(utcnow())
    tallies = quarterly_cache.tallies(Scope(None, end))
    click.echo(
        f"Kept the statistics of every quarter before {end.astimezone(LONDON).date()}."
        if tallies
        else "No ended quarter."
    )
