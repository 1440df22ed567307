"""The police liaison's page in a real browser on a phone: their force's counts and summaries fit
the screen and axe finds nothing; the account is made as an operator would, with its force."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.chat_driver import shot
from tests.browser.conftest import LiveServer, sign_in
from tests.browser.test_accessibility import assert_accessible
from tests.e2e.conftest import PASSWORD, flask_cli

pytestmark = pytest.mark.browser


def test_the_liaison_page_is_accessible_on_a_phone(browser: Any, live: LiveServer) -> None:
    # Synthetic referrals over the last ended quarter: some of them name Kent.
    flask_cli(live.env, "demo", "seed", "--referrals", "600", "--quarters", "1", "--random-seed", "7")
    email = f"police-liaison-{uuid.uuid4().hex[:8]}@example.org"
    flask_cli(
        live.env,
        *("users", "create", "--email", email, "--name", "Synthetic Liaison", "--role", "police-liaison"),
        *("--organisation", "police-kent", "--force", "kent", "--password", PASSWORD),
    )
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    sign_in(page, live, email)
    expect(page.locator("h1")).to_have_text("Reports passed to Kent Police")
    expect(page.locator("#table-months")).to_be_visible()
    expect(page.locator("#summaries > li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "the police liaison's page")
    # the counts fit the phone, the quarter's column too, with nothing to scroll to sideways
    region = page.get_by_role("region", name="Reports by exploitation type and month")
    assert region.evaluate("box => box.scrollWidth <= box.clientWidth"), "the counts table does not fit"
    quarter = page.locator("#table-months thead th").last
    quarter.scroll_into_view_if_needed()
    expect(quarter).to_be_in_viewport(ratio=1)
    # each report is a plain list of cards, without bullets or the list's indent
    styles = page.locator("#summaries").evaluate(
        "list => [getComputedStyle(list).listStyleType, getComputedStyle(list).paddingInlineStart]"
    )
    assert styles == ["none", "0px"], styles
    page.locator("#table-months").scroll_into_view_if_needed()
    shot(page, "police-summaries.png")
    phone.close()
