"""The analysts' charts in a real browser at a phone viewport, in English and in Arabic (right to
left): drawn from the page's tables with their suppressed counts as gaps, within the strict CSP,
within the screen's width, and with axe finding nothing. Every referral here is synthetic."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import shot
from tests.browser.conftest import PHONE, LiveServer, sign_in
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_staff_pages import OVERFLOW
from tests.e2e.conftest import create_account, flask_cli

pytestmark = pytest.mark.browser

# Per chart: the table's shown counts (null where suppressed) and the chart's own data, the chart's
# type, and whether its value axis runs right to left.
CHARTS = """() => [...document.querySelectorAll("table[data-chart]")].map((table) => {
  const chart = Chart.getChart(table.closest(".table-wrap").previousElementSibling.querySelector("canvas"));
  const count = (cell) => cell.dataset.count === undefined ? null : Number(cell.dataset.count);
  const rows = [...table.tBodies[0].rows].filter((row) => !row.hasAttribute("data-partial")); // in progress: not charted
  const lines = table.dataset.chart === "lines";
  const columns = lines ? [...table.tHead.rows[0].cells].slice(1).map((th, i) => [th.dataset.series, i + 1])
    .filter(([series]) => series !== "total") : [["count", 1]];
  return {
    key: table.id,
    type: chart.config.type,
    hidden: chart.canvas.parentElement.getAttribute("aria-hidden"),
    table: columns.map(([, i]) => rows.map((row) => count(row.cells[i]))),
    chart: chart.data.datasets.map((d) => d.data),
    labels: chart.data.labels,
    names: rows.map((row) => row.cells[0].textContent.trim()),
    reversed: Boolean((lines ? chart.options.scales.x : chart.options.scales.x).reverse),
  };
})"""


def test_the_statistics_charts_on_a_phone_in_english_and_arabic(browser: Any, live: LiveServer) -> None:
    flask_cli(live.env, "demo", "seed", "--referrals", "240", "--random-seed", "4")
    context = browser.new_context(**PHONE, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    analyst: Page = context.new_page()
    refused: list[str] = []
    analyst.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    analyst.on("pageerror", lambda error: refused.append(str(error)))
    sign_in(analyst, live, create_account(live.env, "analyst", "single-competent-authority"))

    for language, rtl in (("en", False), ("ar", True)):
        analyst.goto(f"{live.url}/statistics/?lang={language}")
        expect(analyst.locator(".chart canvas")).to_have_count(4)
        charts = analyst.evaluate(CHARTS)
        assert [c["key"] for c in charts] == [
            "table-quarter_kind", "table-nationality", "table-exploitation", "table-police_force_area"
        ]  # fmt: skip
        assert [c["type"] for c in charts] == ["line", "bar", "bar", "bar"]
        for chart in charts:
            assert chart["chart"] == chart["table"], chart["key"]  # the same numbers, gaps where suppressed
            assert chart["labels"] == chart["names"], chart["key"]
            assert chart["hidden"] == "true"  # screen readers read the table after it
            assert chart["reversed"] is rtl, (language, chart["key"])
        assert any(None in series for chart in charts for series in chart["chart"]), "no suppressed count was drawn"
        found = analyst.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"] == 390, (language, found)
        assert_accessible(analyst, f"the statistics page with its charts ({language})")
        analyst.locator(".chart").first.scroll_into_view_if_needed()
        shot(analyst, "statistics-charts.png" if language == "en" else "statistics-charts-ar.png")
    assert not refused, refused
    context.close()
