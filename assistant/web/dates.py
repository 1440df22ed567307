"""Date-range filters of staff pages (the audit trail, statistics): whole days in UK time, inclusive,
typed in three boxes each (day, month, year), as the GOV.UK date input and the chat ask for dates.

A date may also come as one ISO value (``from=2025-03-31``), as the pages' own links carry it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

LONDON = ZoneInfo("Europe/London")
PARTS = ("day", "month", "year")
EARLIEST_YEAR, LATEST_YEAR = 1900, 9000


def date_range(args: Mapping[str, str]) -> tuple[dict[str, str], tuple[str, str] | None]:
    """The "from" and "to" dates (ISO, or "" when left empty or wrong) with the boxes as typed
    (``from-day``, ``from-month``, …), and the first problem with them as (field id, translated message)."""
    period: dict[str, str] = {}
    days: dict[str, dt.date] = {}
    problem: tuple[str, str] | None = None
    for key in ("from", "to"):
        boxes = _boxes(args, key)
        period.update({f"{key}-{part}": value for part, value in boxes.items()})
        period[key] = ""
        if not any(boxes.values()):
            continue
        found = _day(boxes)
        if isinstance(found, str):  # said with the date it is about: the page has two
            which = _("The start date (From)") if key == "from" else _("The end date (To)")
            problem = problem or (key, _("%(date)s: %(problem)s", date=which, problem=found))
            continue
        days[key], period[key] = found, found.isoformat()
    if problem is None and "from" in days and "to" in days and days["from"] > days["to"]:
        problem = ("to", _("The end date must be the same as or after the start date."))
    return period, problem


def _boxes(args: Mapping[str, str], key: str) -> dict[str, str]:
    if any(f"{key}-{part}" in args for part in PARTS):
        return {part: (args.get(f"{key}-{part}") or "").strip()[:8] for part in PARTS}
    typed = (args.get(key) or "").strip()[:16]
    try:  # an ISO date, from a link
        day = dt.date.fromisoformat(typed)
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    except ValueError:
        pass
    pieces = typed.split("-")
    if len(pieces) == 3:  # year-month-day, but not a real one
        return {"day": pieces[2], "month": pieces[1], "year": pieces[0]}
    return {"day": typed, "month": "", "year": ""}


def _day(boxes: Mapping[str, str]) -> dt.date | str:
    """The date the boxes make, or why they make none."""
    if not all(boxes.values()):
        return _("Enter the day, month and year, for example 31 3 2025.")
    if not all(value.isascii() and value.isdigit() for value in boxes.values()):
        return _("Enter the day, month and year as numbers, for example 31 3 2025.")
    try:
        day = dt.date(int(boxes["year"]), int(boxes["month"]), int(boxes["day"]))
    except ValueError:
        return _("Enter a real date, for example 31 3 2025.")
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return _("Enter a year from %(earliest)s to %(latest)s.", earliest=EARLIEST_YEAR, latest=LATEST_YEAR)
    return day


def bounds(period: Mapping[str, str]) -> tuple[Any, Any]:
    """The checked range as moments to compare stored times with: from the start of the first day in
    UK time (inclusive) to the start of the day after the last (exclusive); None where open."""

    def moment(value: str, extra_days: int = 0) -> Any:
        if not value:
            return None
        day = dt.date.fromisoformat(value) + dt.timedelta(days=extra_days)
        return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(dt.UTC)

    return moment(period.get("from", "")), moment(period.get("to", ""), 1)
