"""Dates on the staff pages in a browser set to American English in New York: three boxes for day,
month and year (never the browser's mm/dd/yyyy picker), British dates and UK times with their zone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, LiveServer, sign_in
from tests.browser.test_accessibility import assert_accessible
from tests.e2e.conftest import create_account

pytestmark = pytest.mark.browser


@pytest.fixture
def american(browser: Any) -> Any:
    context = browser.new_context(**PHONE, locale="en-US", timezone_id="America/New_York")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_day_month_year_boxes_and_british_output_in_an_american_browser(american: Any, live: LiveServer) -> None:
    analyst = american.new_page()
    sign_in(analyst, live, create_account(live.env, "analyst", "single-competent-authority"))
    expect(analyst.locator("h1")).to_have_text("Statistics")
    assert analyst.locator('input[type="date"]').count() == 0
    start = analyst.get_by_role("group", name="From")
    expect(start.get_by_label("Day")).to_be_visible()
    start.get_by_label("Day").fill("30")
    start.get_by_label("Month").fill("2")
    start.get_by_label("Year").fill("2024")
    analyst.get_by_role("button", name="Show").click()
    expect(analyst.locator("#from-error")).to_contain_text("Enter a real date, for example 31 3 2025.")
    expect(start.get_by_label("Day")).to_have_value("30")  # nothing typed is lost
    assert_accessible(analyst, "the statistics page with a wrong date")
    start.get_by_label("Day").fill("29")
    analyst.get_by_role("button", name="Show").click()
    expect(analyst.locator("#total")).to_be_visible()
    assert re.search(r"from-day=29&from-month=2&from-year=2024", analyst.url)

    admin = american.new_page()
    sign_in(admin, live, create_account(live.env, "admin", "single-competent-authority"), then="/admin/audit")
    first_time = admin.locator("main table time").first.inner_text()
    # British order (day, month name, year) and a UK zone, whatever the browser's region and zone
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} (GMT|BST)", first_time), first_time
    assert_accessible(admin, "the audit trail")
