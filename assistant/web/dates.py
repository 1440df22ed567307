"""Date-range filters of staff pages (the audit trail, statistics): whole days, inclusive, in UTC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _


def date_range(args: Mapping[str, str]) -> tuple[dict[str, str], tuple[str, str] | None]:
    """The "from" and "to" dates typed (YYYY-MM-DD, either may be empty), and the first problem with
    them as (field id, translated message)."""
    period = {key: (args.get(key) or "").strip() for key in ("from", "to")}
    days: dict[str, dt.date] = {}
    for key, value in period.items():
        if not value:
            continue
        try:
            days[key] = dt.date.fromisoformat(value)
        except ValueError:
            return period, (key, _("Enter a real date, like 2025-03-31."))
        if not 1900 <= days[key].year <= 9000:
            return period, (key, _("Enter a real date, like 2025-03-31."))
        period[key] = days[key].isoformat()
    if "from" in days and "to" in days and days["from"] > days["to"]:
        return period, ("to", _("The end date must be the same as or after the start date."))
    return period, None


def bounds(period: Mapping[str, str]) -> tuple[Any, Any]:
    """The checked range as moments to compare stored times with: from the start of the first day
    (inclusive) to the start of the day after the last (exclusive); None where open."""

    def moment(value: str, extra_days: int = 0) -> Any:
        if not value:
            return None
        day = dt.date.fromisoformat(value) + dt.timedelta(days=extra_days)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)

    return moment(period.get("from", "")), moment(period.get("to", ""), 1)
