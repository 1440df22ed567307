"""The analysts' charts: drawn from the page's suppressed tables (a suppressed count offers the chart
nothing to draw), on the statistics page only; the chat never loads the charting library.
Every referral here is synthetic."""

from __future__ import annotations

import random
import re
from typing import Any

from flask import Flask

from assistant import demo_seed, quarterly
from assistant.quarterly import Scope
from assistant.statistics import Table
from tests.conftest import Staff

CHART_SCRIPT = "vendor/chart.umd.min.js"
YEAR_2025 = (quarterly.quarter_bounds(2025, 1)[0], quarterly.quarter_bounds(2025, 4)[1])


def charted(html: str, key: str) -> tuple[str, list[tuple[str, str | None]]]:
    """A charted table's chart type and its cells in page order: (key, data-count or None)."""
    found = re.search(rf'<table class="table" id="table-{key}"[^>]*data-chart="(\w+)".*?</table>', html, re.S)
    assert found, f"table {key} is not charted"
    cells = re.findall(r'<td data-key="([^"]+)"(?: data-count="(\d+)")?>', found.group(0))
    return found.group(1), [(k, n or None) for k, n in cells]


def expected(table: Table) -> dict[str, str | None]:
    return {cell.key: None if cell.mark else str(cell.count) for cell in table.cells}


def test_the_charts_take_only_the_shown_counts_of_the_suppressed_tables(app: Flask, staff: Staff) -> None:
    with app.app_context():
        demo_seed.seed(160, *YEAR_2025, rng=random.Random(11))
    html = staff.client("analyst").get("/statistics/?from=2025-01-01&to=2025-12-31").text
    with app.test_request_context():
        scope = Scope(*YEAR_2025)
        national = quarterly.quarters(scope)
        tables = {key: quarterly.CATEGORY_TABLES[key](scope) for key in ("exploitation", "nationality")}
        forces = quarterly.CATEGORY_TABLES["police_force_area"](scope)

    kind, cells = charted(html, "quarter_kind")
    assert kind == "lines"
    assert dict(cells) == {
        f"{row}:{cell.key}": None if cell.mark else str(cell.count)
        for row, row_cells in national.rows
        for cell in row_cells
    }
    for key, table in tables.items():
        kind, cells = charted(html, key)
        assert kind == "bars"
        assert dict(cells) == expected(table), key
    assert any(cell.mark for table in tables.values() for cell in table.cells), "no suppressed count was tried"

    # Police force areas: ranked by what is shown, the suppressed last whatever their hidden counts.
    kind, cells = charted(html, "police_force_area")
    assert kind == "ranked"
    assert dict(cells) == expected(forces)
    shown = [int(n) for _k, n in cells if n is not None]
    assert shown == sorted(shown, reverse=True)
    assert [n for _k, n in cells] == [n for _k, n in cells if n is not None] + [None] * (len(cells) - len(shown))


def test_only_the_statistics_page_loads_the_charting_library(app: Flask, staff: Staff) -> None:
    assert CHART_SCRIPT in staff.client("analyst").get("/statistics/").text
    chat: Any = staff.client("first-responder").get("/")
    assert chat.status_code == 200
    assert CHART_SCRIPT not in chat.text
    assert "statistics/charts.js" not in chat.text
    assert CHART_SCRIPT not in staff.client("caseworker").get("/casework/").text
