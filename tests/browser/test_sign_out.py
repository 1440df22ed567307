"""Shared phones: signing out leaves nothing of the referral in the browser, and the draft waits in
"My referrals" for whoever of the organisation carries it on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import Chat
from tests.browser.conftest import LiveServer, sign_in
from tests.scenarios import ROUTES

pytestmark = pytest.mark.browser


def test_signing_out_clears_the_page_and_the_draft_waits_in_my_referrals(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer("reference", "SYN-SHARED-PHONE")
    assert chat.question() == "about-your-work"
    assert page.evaluate("Object.keys(localStorage)") == ["nrm-conversation"]

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.locator("main .notice")).to_have_text("You have signed out.")
    assert page.evaluate("localStorage.length") == 0
    kept = [o for o in page.context.storage_state()["origins"] if o["origin"] == live.url]
    assert all(not o["localStorage"] for o in kept), kept
    assert "SYN-SHARED-PHONE" not in page.content()

    page.go_back()  # nothing comes back from the history or the cache: the chat wants a sign-in
    expect(page.locator("h1")).to_have_text("Sign in")
    assert "SYN-SHARED-PHONE" not in page.content()

    sign_in(page, live)
    page.goto(f"{live.url}/referrals/")
    row = page.locator("tr", has_text="SYN-SHARED-PHONE")
    expect(row).to_be_visible()
    row.get_by_role("link", name="Continue").click()
    chat = Chat(page, ROUTES["child"])
    assert chat.question() == "about-your-work"  # the draft resumed where it was
    assert "conversation=" not in page.url  # the draft's id does not stay in the address bar
    assert chat.back() == "reference"
    expect(chat.form.locator("#answer")).to_have_value("SYN-SHARED-PHONE")  # with what was given

    page.goto(f"{live.url}/referrals/")
    page.get_by_role("link", name="Start a new referral").click()
    chat = Chat(page, ROUTES["child"])
    assert chat.question() == "reference"  # a new referral, not the draft the browser kept
    expect(chat.form.locator("#answer")).to_have_value("")
    assert "new=" not in page.url
