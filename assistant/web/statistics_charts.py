"""Which statistics tables the analysts' page draws as charts, and in what order.

The charts are drawn in the browser (static/statistics/charts.js) from the very tables the page
shows, so they can only ever show what the table shows: a suppressed count is a gap, never a number.
"""

from __future__ import annotations

from ..statistics import Cell, Table

# Table key: how it is drawn. "ranked": horizontal bars, largest first (the police force areas, where
# a map would need map tiles or boundaries from an outside service).
CHARTS = {"quarter_kind": "lines", "exploitation": "bars", "nationality": "bars", "police_force_area": "ranked"}


def ranked(table: Table) -> list[Cell]:
    """The cells largest first by what is shown: suppressed ones last, by name, so that their order
    says nothing about their hidden counts."""
    shown = sorted((c for c in table.cells if c.mark is None), key=lambda c: (-c.count, c.label))
    hidden = sorted((c for c in table.cells if c.mark is not None), key=lambda c: c.label)
    return [*shown, *hidden]


def rows(table: Table) -> list[Cell]:
    """The cells in the order the page lists them."""
    return ranked(table) if CHARTS.get(table.key) == "ranked" else table.cells
