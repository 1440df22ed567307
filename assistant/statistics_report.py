"""The analysts' statistics for a range of dates, under the disclosure rules (assistant/disclosure.py).

The national table (referrals by quarter and kind) covers any range; the tables below national
level cover only the whole, ended quarters within it, or are refused with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from . import audit, disclosure, quarterly_cache
from .quarterly import Quarterly, Scope, quarterly, quarters
from .storage.unit_of_work import unit_of_work


@dataclass
class Report:
    found: Quarterly
    cuts: tuple[dt.datetime | None, dt.datetime] | None  # the range the tables by category cover
    refusal: str | None  # why there are none, translated


def report(
    start: dt.datetime | None,
    end: dt.datetime | None,
    police_force_area: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    cuts, refusal = disclosure.range_for_cuts(start, end, now)
    # Every day asked for; whole ended quarters from the kept tallies.
    national = quarters(Scope(start, end, police_force_area), lambda whole: quarterly_cache.tallies(whole, now))
    if cuts is None:
        return Report(Quarterly(national), None, refusal)
    scope = Scope(*cuts, police_force_area)
    found = quarterly(scope, with_cuts=True, target=_target(), tallies=quarterly_cache.tallies(scope, now))
    found.national = national
    return Report(found, cuts, None)


def export(start: dt.datetime | None, end: dt.datetime | None, target: str) -> Report:
    """The report for an export, which the audit trail records (``target`` names the range)."""
    made = report(start, end)
    with unit_of_work():
        audit.record("export", target)
    return made


def _target() -> int:
    return int(current_app.config["RG_TARGET_WORKING_DAYS"])
