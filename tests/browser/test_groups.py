"""A grouped question in the chat on a phone: one message, a labelled control per field, each error at its field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import Chat, shot
from tests.browser.conftest import LiveServer
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_a_grouped_question_is_one_message_with_an_error_at_each_field(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page)
    chat.answer("reference", "CASE-GROUP")
    assert chat.question() == "about-your-work"
    form = chat.form
    expect(form.locator("fieldset > legend #q-text")).to_have_text("About you and this case")
    expect(form.get_by_label("England", exact=True)).to_be_visible()
    expect(form.locator('.field[data-field="fr-location"] legend')).to_have_text(
        "In which part of the UK are you working on this case?"
    )
    assert page.viewport_size == {"width": 390, "height": 844}  # a phone

    # Continue with the part of the UK left unanswered: its own error, tied to its inputs
    form.locator('.field[data-field="user-organisation"] input[role=combobox]').fill("")
    chat.send()
    error = form.locator("#f-fr-location-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Select the part of the UK you are working in")
    expect(form.locator("#f-user-organisation-error")).to_contain_text("Choose the organisation you work for")
    described = form.locator("#f-fr-location").get_attribute("aria-describedby") or ""
    assert "f-fr-location-error" in described.split()
    expect(form.locator("#q-error")).to_be_hidden()  # no second copy of the messages
    assert page.title().startswith("Error:")
    assert_accessible(page, "a grouped question with an error at each field")
    form.evaluate("e => e.scrollIntoView({ block: 'start' })")  # the question's title under the header
    shot(page, "chat-group-errors.png")

    # answered: both fields in one turn, the errors gone with the question
    chat.answer("about-your-work")
    assert chat.question() == "pv-age"
    # a field asked only after an earlier answer appears once that answer is chosen
    later = chat.form.locator('.field[data-field="pv-under-age-at-time-of-exploitation"]')
    expect(later).to_be_hidden()
    chat.form.locator('.field[data-field="pv-under-age"]').get_by_label("No", exact=True).check()
    expect(later).to_be_visible()
    assert_accessible(page, "a grouped question with a field shown after an answer")
    transcript = " ".join(chat.transcript())
    assert "In which part of the UK are you working on this case?: England" in transcript


def test_a_fields_error_goes_as_soon_as_that_field_is_corrected(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page)
    chat.answer("reference", "CASE-CORRECTED")
    form = chat.form
    form.locator('.field[data-field="user-organisation"] input[role=combobox]').fill("")
    chat.send()
    place, organisation = form.locator("#f-fr-location-error"), form.locator("#f-user-organisation-error")
    expect(place).to_be_visible()
    expect(organisation).to_be_visible()
    combobox = form.locator("#f-user-organisation")
    expect(combobox).to_have_attribute("aria-invalid", "true")
    assert "f-user-organisation-error" in (combobox.get_attribute("aria-describedby") or "").split()

    # the part of the UK chosen: its error goes at once, with its description; the other field's stays
    form.get_by_label("England", exact=True).check()
    expect(place).to_be_hidden()
    expect(form.locator('.field[data-field="fr-location"]')).not_to_have_class(re.compile(r"\bhas-error\b"))
    assert "f-fr-location-error" not in (form.locator("#f-fr-location").get_attribute("aria-describedby") or "")
    expect(organisation).to_be_visible()
    assert page.title().startswith("Error:")  # one field still has an error

    # typing in the organisation's box corrects it too: no error left, and the title says so
    combobox.press_sequentially("Salv")
    expect(organisation).to_be_hidden()
    expect(combobox).not_to_have_attribute("aria-invalid", "true")
    assert "f-user-organisation-error" not in (combobox.get_attribute("aria-describedby") or "")
    expect(page).not_to_have_title(re.compile("^Error:"))
    assert_accessible(page, "a grouped question whose errors were corrected")
