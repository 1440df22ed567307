"""A town that is not on the list, chosen in the chat's type-ahead: shown as not on the list, sent as
typed, and in the intake record marked as free text. Every value typed is synthetic."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import Chat, intake, review_row, stored_conversation
from tests.browser.conftest import LiveServer
from tests.scenarios import ROUTES

pytestmark = pytest.mark.browser

TOWN = "Little Snoring"


def test_a_town_not_on_the_list_is_typed_as_written(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, {**ROUTES["adult-consent-without-support"], "where-exploitation-happened": "uk"})
    chat.answer_until("current-location")  # the group that asks the town, then the region
    chat.fill()
    field = chat.form.locator('.field[data-field="current-pv-location-uk-city"]')
    box = field.locator("input[role=combobox]")
    box.fill("")
    box.press_sequentially(TOWN)
    keep = field.locator("[role=listbox] [role=option]").last
    expect(keep).to_have_text(f"Not on the list: use “{TOWN}” as written")
    # Continue with the text alone is not taken as the answer: the worker chooses to keep it
    chat.send()
    expect(field.locator(".error-message")).to_contain_text("or the last option to keep the name as you typed it")
    box.fill("")
    box.press_sequentially(TOWN)
    keep.click()
    expect(box).to_have_value(TOWN)
    chat.answer(keep=True)
    expect(page.locator("#transcript > li").last).to_contain_text(f"{TOWN} (not on the list)")
    chat.answer_until("review")
    expect(review_row(page, "In which town or city are they staying now?")).to_contain_text(f"{TOWN} (not on the list)")
    conversation_id = stored_conversation(page)["conversation_id"]
    page.locator("#turn .review .actions button").click()
    expect(page.locator("#turn .panel")).to_be_visible()
    [record] = [r for r in intake(live) if r["conversation_id"] == conversation_id]
    assert record["answers"]["current-pv-location-uk-city"] == {"free_text": TOWN}


def test_matches_typed_low_on_a_phone_screen_are_brought_into_sight(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-consent-without-support"])
    chat.answer_until("where-exploited")
    chat.form.get_by_label("In the UK", exact=True).check()
    box = chat.form.locator('.field[data-field="where-exploitation-happened-uk-city"] input[role=combobox]')
    box.scroll_into_view_if_needed()  # as a worker's tap leaves it: low on the screen, its matches below the fold
    assert box.bounding_box()["y"] > 844 / 2
    box.press_sequentially("Manchster")
    first = page.locator("[role=listbox]:visible [role=option]").first
    expect(first).to_have_text("Manchester")  # one letter missing still finds it
    expect(first).to_be_in_viewport(ratio=1)
