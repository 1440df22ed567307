"""Functions that conditions may call, for contradiction rules about ages and dates.

Each takes today's date first (None when the condition is evaluated without one, as routing does)
and then its arguments, already evaluated: answers as stored (dates as ISO strings), numbers. Each
gives None when it cannot answer (a question not answered, no date today), and a comparison with
None is false, so a rule never holds on missing information.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A year written in full: 1900 to 2099, not part of a longer number (a phone or reference number).
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class Function:
    run: Callable[..., Any]
    arity: tuple[int, int | None]  # fewest and most arguments (None: no limit)

    def __call__(self, today: dt.date | None, *args: Any) -> Any:
        return self.run(today, *args)


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def whole_years(born: dt.date, on: dt.date) -> int:
    """Age in completed years on a day (someone born on 29 February turns a year older on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def years_since(today: dt.date | None, value: Any) -> int | None:
    """Whole years from a date answer to today: a date of birth gives the age today."""
    born = _date(value)
    if born is None or today is None:
        return None
    return whole_years(born, today)


def youngest_in_years_mentioned(today: dt.date | None, value: Any, *texts: Any) -> int | None:
    """The youngest the person was (their age on 1 January) in any year written in the texts, counting
    only years after their birth year and up to this year; None if the texts mention no such year.

    A year in an account of the exploitation ("it started in 2019") then tells how old they were at
    the time, which can contradict an answer that none of it happened while they were a child."""
    born = _date(value)
    if born is None or today is None:
        return None
    years = {
        int(match)
        for text in texts
        if isinstance(text, str)
        for match in _YEAR.findall(text)
        if born.year < int(match) <= today.year
    }
    return min((whole_years(born, dt.date(year, 1, 1)) for year in years), default=None)


FUNCTIONS: dict[str, Function] = {
    "years_since": Function(years_since, (1, 1)),
    "youngest_in_years_mentioned": Function(youngest_in_years_mentioned, (2, None)),
}
