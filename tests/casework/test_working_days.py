"""Working days for the Reasonable Grounds target: weekends and England's bank holidays do not count."""

from __future__ import annotations

import datetime as dt

from assistant.casework import queue


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    monday = dt.date(2025, 3, 3)
    assert queue.working_days_between(monday, monday) == 0
    assert queue.working_days_between(monday, monday + dt.timedelta(days=1)) == 1
    assert queue.working_days_between(monday, dt.date(2025, 3, 10)) == 5  # the next Monday
    assert queue.working_days_between(dt.date(2025, 3, 7), dt.date(2025, 3, 9)) == 0  # Friday to Sunday
    # Easter 2025: Good Friday 18 April and Easter Monday 21 April are bank holidays in England.
    assert queue.working_days_between(dt.date(2025, 4, 17), dt.date(2025, 4, 22)) == 1
    # Christmas and Boxing Day, then New Year's Day.
    assert queue.working_days_between(dt.date(2025, 12, 24), dt.date(2026, 1, 2)) == 4
    assert queue.working_days_between(dt.date(2025, 3, 10), dt.date(2025, 3, 3)) == 0  # backwards: none


def test_the_sql_bounds_agree_with_counting_days() -> None:
    """Waited at least n working days <=> submitted before the start of the n-th working day back."""
    for today in (dt.date(2025, 4, 22), dt.date(2025, 4, 19), dt.date(2026, 1, 2), dt.date(2025, 6, 9)):
        for n in (1, 4, 5, 6):
            start = queue._start_of_nth_working_day_back(today, n).astimezone(queue.LONDON)
            assert start.time() == dt.time()
            for back in range(20):
                submitted = today - dt.timedelta(days=back)
                waited = queue.working_days_between(submitted, today) >= n
                assert waited == (submitted < start.date()), (today, n, submitted)


def test_filters_ignore_unknown_values() -> None:
    filters = queue.Filters.from_args(
        {"kind": "dtn", "age_group": "elderly", "exploitation": "sexual", "waiting": "overdue", "jurisdiction": ""}
    )
    assert filters == queue.Filters(kind="dtn", exploitation="sexual", waiting="overdue")
    assert filters.as_args() == {"kind": "dtn", "exploitation": "sexual", "waiting": "overdue"}
