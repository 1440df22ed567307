"""The translator's workspace in a phone-sized Chromium: one translator proposes a Welsh string and
reviews another, a second accepts the proposal, and axe finds nothing on any of the pages or previews."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import shot
from tests.browser.conftest import PHONE, LiveServer, sign_in
from tests.browser.test_accessibility import assert_accessible
from tests.e2e.conftest import PASSWORD, create_account, flask_cli

pytestmark = pytest.mark.browser
PROPOSED = "Cyfeirnod synthetig ar gyfer y prawf"


def translator(browser: Any, live: LiveServer) -> Page:
    """A Welsh translator made with `flask users create --language cy`, signed in on a phone."""
    email = f"translator-{uuid.uuid4().hex[:8]}@example.org"
    flask_cli(
        live.env, "users", "create", "--email", email, "--name", "Synthetic Translator", "--role", "translator",
        "--organisation", "single-competent-authority", "--language", "cy", "--password", PASSWORD,
    )  # fmt: skip
    context = browser.new_context(**PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live, email)
    return page


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_translator_proposes_and_reviews_on_a_phone(browser: Any, live: LiveServer) -> None:
    first = translator(browser, live)
    expect(first.locator("h1")).to_have_text("Translations")  # where a translator lands
    assert_accessible(first, "the translator's languages")
    first.get_by_role("link", name="Welsh").click()
    expect(first.locator("h1")).to_contain_text("Welsh")
    assert_accessible(first, "the workspace")
    fits_the_phone(first)

    string = first.locator("section.tr-string").first
    string.locator("summary").filter(has_text="Propose a change").click()
    string.get_by_label("Your translation").fill(PROPOSED)
    string.get_by_role("button", name="Propose").click()
    expect(first.locator(".notice")).to_contain_text("Your proposal is saved")
    expect(first.locator("section.tr-string").first.locator(".tr-proposal")).to_contain_text(PROPOSED)
    assert_accessible(first, "the workspace after a proposal")
    first.locator("section.tr-string").first.scroll_into_view_if_needed()
    shot(first, "translate-workspace.png")

    reviewed = first.locator("section.tr-string", has=first.get_by_role("button", name="Mark reviewed")).first
    anchor = reviewed.get_attribute("id")
    reviewed.get_by_role("button", name="Mark reviewed").click()
    expect(first.locator(".notice")).to_contain_text("Marked as reviewed")
    expect(first.locator(f"#{anchor} .tag.tr-reviewed")).to_be_visible()

    second = translator(browser, live)
    second.goto(f"{live.url}/translate/cy?state=proposed")
    expect(second.locator("section.tr-string")).to_have_count(1)
    second.get_by_role("button", name="Accept the proposal as reviewed").click()
    expect(second.locator(".notice")).to_contain_text("Marked as reviewed")
    second.goto(f"{live.url}/translate/cy?state=reviewed")
    expect(second.locator("main")).to_contain_text(PROPOSED)
    assert_accessible(second, "the reviewed strings")
    first.context.close()
    second.context.close()


def test_the_previews_are_accessible_on_a_phone(browser: Any, live: LiveServer) -> None:
    page = translator(browser, live)
    page.goto(f"{live.url}/translate/cy?group=nrm:report")
    page.get_by_role("link", name="Preview this question").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator(".button-group button").first).to_be_disabled()  # nothing is answered in a preview
    assert_accessible(page, "a question's preview")
    shot(page, "translate-preview-cy.png")
    fits_the_phone(page)
    page.goto(f"{live.url}/translate/cy?group=cards")
    page.get_by_role("link", name="Preview this card as the person sees it").first.click()
    expect(page.locator("article.card-content h1")).to_be_visible()
    assert_accessible(page, "a card's preview")
    fits_the_phone(page)
    page.context.close()


def test_an_administrator_gives_a_translator_a_language_on_a_phone(browser: Any, live: LiveServer) -> None:
    email = create_account(live.env, "translator", "single-competent-authority")
    context = browser.new_context(**PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    admin = context.new_page()
    sign_in(admin, live, create_account(live.env, "admin", "single-competent-authority"))
    admin.goto(f"{live.url}/admin/users?role=translator")
    row = admin.locator("tr", has_text=email)
    row.get_by_role("link", name="Languages").click()
    expect(admin.locator("h1")).to_contain_text("Languages of")
    assert_accessible(admin, "a translator's languages")
    fits_the_phone(admin)
    admin.get_by_label("Amharic").check()
    admin.get_by_role("button", name="Save the languages").click()
    expect(admin.locator(".notice")).to_contain_text("now translates: am")
    context.close()
