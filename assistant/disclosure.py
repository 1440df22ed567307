"""Disclosure control beyond small-number suppression: the rules that stop differencing.

Suppression (assistant/statistics.py) hides a count from 1 to 4 in one table. Someone could still
compare two tables: the counts for 1 January to 31 March and for 2 January to 31 March differ by
the referrals of 1 January, which may be one person. So:

* any table below national level (by age, gender, nationality, type, place, organisation, nation,
  force, decision) covers whole calendar quarters, UK time, that have ended: a range starts on a
  quarter's first day and ends on a quarter's last. Two such ranges differ by whole quarters, each
  of which can be asked for, and is suppressed, on its own; and an ended quarter's counts no longer
  change, so asking again later reveals nothing new;
* only the national counts by quarter and kind may be asked for any range of days;
* exported counts are rounded to the nearest 5, so that tables that overlap (a force's and the
  nation's, two nations') cannot be subtracted to an exact small count.

docs/data-protection.md explains these rules to analysts.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from .clock import LONDON
from .storage.models import utcnow

ROUND_TO = 5
NOT_WHOLE_QUARTERS = _l(
    "Tables by category cover whole quarters that have ended: start on 1 January, 1 April, 1 July or"
    " 1 October, and end on 31 March, 30 June, 30 September or 31 December. Only the national counts"
    " by quarter are shown for other dates."
)
NO_ENDED_QUARTER = _l("No quarter in these dates has ended yet: tables by category are shown once it has.")


def quarter_start(moment: dt.datetime) -> dt.datetime:
    """The first moment (UK time) of the quarter ``moment`` falls in, as UTC."""
    local = moment.astimezone(LONDON)
    first = dt.datetime(local.year, 3 * ((local.month - 1) // 3) + 1, 1, tzinfo=LONDON)
    return first.astimezone(dt.UTC)


def is_quarter_start(moment: dt.datetime) -> bool:
    return quarter_start(moment) == moment.astimezone(dt.UTC)


def range_for_cuts(
    start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime | None = None
) -> tuple[tuple[dt.datetime | None, dt.datetime], None] | tuple[None, str]:
    """The range (start inclusive, end exclusive) that tables below national level may cover, or why
    none: ``start`` and ``end`` must fall on quarters' first moments; an open end, or an end after
    the current quarter began, stops at the start of the current quarter."""
    if (start is not None and not is_quarter_start(start)) or (end is not None and not is_quarter_start(end)):
        return None, str(NOT_WHOLE_QUARTERS)
    current = quarter_start(now or utcnow())
    end = current if end is None or end > current else end
    if start is not None and start >= end:
        return None, str(NO_ENDED_QUARTER)
    return (start, end), None


def rounded(count: int) -> int:
    """To the nearest 5, halves up: 1 and 2 become 0, 3 to 7 become 5."""
    return ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO)
