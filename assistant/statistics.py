"""Small-number suppression for the analysts' statistics (the tables are assistant/quarterly.py's).

Small numbers are suppressed so that no one person can be singled out:

* a count from 1 to 4 shows as "fewer than 5";
* in a table whose rows add up to the total (every table but exploitation types, where a referral
  may count under several), a single suppressed count could be worked out by subtraction, so the
  next smallest count is withheld too, until that is no longer possible;
* the total itself is suppressed when it is from 1 to 4.

Comparing two tables (differencing) is stopped by the rules of assistant/disclosure.py.
The tables come keyed: the statistics pages put words to the keys (labels and captions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are suppressed
SMALL, WITHHELD = "small", "withheld"
NOT_RECORDED = "not-recorded"
SHOWN = {SMALL: _l("fewer than 5"), WITHHELD: _l("withheld")}


@dataclass
class Cell:
    key: str
    label: str
    count: int
    mark: str | None = None  # SMALL or WITHHELD when the count is not shown

    @property
    def shown(self) -> str:
        return str(SHOWN[self.mark]) if self.mark else str(self.count)


@dataclass
class Table:
    key: str
    caption: str
    cells: list[Cell] = field(default_factory=list)


def suppress(cells: list[Cell], adds_up: bool = True) -> list[Cell]:
    """Mark counts from 1 to 4 SMALL; where the cells add up to a known total, withhold the next
    smallest counts until no suppressed count can be worked out by subtraction."""
    for cell in cells:
        cell.mark = SMALL if 0 < cell.count < THRESHOLD else None
    while adds_up and _recoverable([c for c in cells if c.mark]):
        shown = [c for c in cells if c.mark is None and c.count > 0]
        if not shown:
            break
        min(shown, key=lambda c: c.count).mark = WITHHELD
    return cells


def _recoverable(hidden: list[Cell]) -> bool:
    """Whether someone who knows the total could tell each hidden count: it is the only one hidden,
    or they are all small and their sum leaves one possibility (all 1s or all 4s)."""
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    if all(c.mark == SMALL for c in hidden):
        hidden_sum = sum(c.count for c in hidden)
        return hidden_sum in (len(hidden), (THRESHOLD - 1) * len(hidden))
    return False
