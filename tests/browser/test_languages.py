"""Languages in the chat: the worker's language switched mid-referral, and a card for the person in their
own language over a page in the worker's. Every value typed is synthetic (tests/scenarios.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import (
    LIST_VALUES,
    LOOKUPS,
    QUESTIONS,
    Chat,
    intake,
    option_label,
    shot,
    stored_conversation,
)
from tests.browser.conftest import LiveServer
from tests.scenarios import ROUTES

pytestmark = pytest.mark.browser

REFERENCE = "SYN-LANG-0001"


def switch_language(page: Page, code: str) -> None:
    """Choose "Your language": the conversation switches, and the page takes the new language in place."""
    page.locator("#ui-language").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code.replace("_", "-"))
    expect(page).to_have_url(re.compile(rf"[?&]lang={code}\b"))  # a reload stays in it
    expect(page.locator("#turn form.question")).to_be_visible()


def test_what_was_typed_stays_when_the_language_changes(page: Page, live: LiveServer) -> None:
    """No reload: the question is drawn again in the new language with the typed text in it, and the
    text is kept nowhere but in the page."""
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-consent-without-support"])
    expect(page.locator("html[data-chat=ready]")).to_have_count(1)
    chat.form.locator("#answer").fill(REFERENCE)
    english = page.locator("#q-text").inner_text()
    page.evaluate("window.notReloaded = true")
    switch_language(page, "cy")
    expect(page.locator("#q-text")).not_to_have_text(english)
    expect(chat.form.locator("#answer")).to_have_value(REFERENCE)
    assert page.evaluate("window.notReloaded === true")
    expect(page.locator("#new-referral")).not_to_have_text("Start a new referral")  # the page's own words too
    stored = page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")
    assert REFERENCE not in stored
    assert REFERENCE not in page.url
    chat.answer("reference", keep=True)
    assert chat.question() == "about-your-work"  # the organisation, in a group with the part of the UK
    expect(page.locator("#transcript > li").first).to_contain_text(REFERENCE)

    # an organisation chosen from the type-ahead stays chosen too, switched back to English
    organisation = chat.form.locator("#f-user-organisation")
    organisation.fill("")  # the account's organisation is offered first
    organisation.press_sequentially("Barnard")
    expect(chat.form.locator("#f-user-organisation-list [role=option]").first).to_be_visible()
    chat.form.locator("#f-user-organisation-list [role=option]").first.click()
    chosen = organisation.input_value()
    chat.form.locator("input[type=radio]").first.check()  # the part of the UK, a choice in the same group
    switch_language(page, "en")
    expect(page.locator("#q-text")).to_have_text(str(QUESTIONS["about-your-work"]["text"]))
    expect(organisation).to_have_value(chosen)
    expect(chat.form.locator("input[type=radio]").first).to_be_checked()
    chat.form.locator("button[type=submit]").click()
    expect(page.locator("#transcript > li").nth(1)).to_contain_text(chosen)


def test_the_language_switched_mid_referral_keeps_the_question_and_the_answers(page: Page, live: LiveServer) -> None:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live.url)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    chat = Chat(page, ROUTES["adult-consent-without-support"])
    organisation = LIST_VALUES["organisations"]
    chat.answer("reference", REFERENCE)
    assert chat.question() == "about-your-work"
    expect(page.locator("#transcript > li")).to_have_count(1)
    location = chat.form.locator('.field[data-field="fr-location"] legend')
    english_question = location.inner_text()
    conversation_id = stored_conversation(page)["conversation_id"]

    # to Arabic: the same question, right to left, with the answer above it
    switch_language(page, "ar")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    assert chat.question() == "about-your-work"
    arabic_question = location.inner_text()
    assert arabic_question.strip()
    assert arabic_question != english_question
    assert re.search(r"[\u0600-\u06FF]", arabic_question), arabic_question  # Arabic script
    assert stored_conversation(page)["conversation_id"] == conversation_id  # the same referral
    expect(page.locator("#history")).to_be_visible()
    transcript = page.locator("#transcript > li")
    expect(transcript).to_have_count(1)
    expect(transcript.nth(0)).to_contain_text(REFERENCE)
    expect(page.locator("#ui-language")).to_have_value("ar")

    # answered in Arabic: the organisation from the list and the part of the UK, in one turn
    england = chat.form.locator('.field[data-field="fr-location"] input[value="england"]')
    arabic_label = chat.form.locator(f"label[for='{england.get_attribute('id')}']").inner_text().strip()
    assert arabic_label
    assert arabic_label != option_label("fr-location", "england")
    chat.fixed.update({"user-organisation": organisation, "fr-location": "england"})
    chat.answer("about-your-work")
    assert chat.question() == "pv-age"
    expect(transcript).to_have_count(2)
    expect(transcript.nth(1)).to_contain_text(arabic_label)
    expect(transcript.nth(1)).to_contain_text(LOOKUPS.label("organisations", organisation, "ar"))
    expect(html).to_have_attribute("dir", "rtl")
    shot(page, "chat-question-ar.png")

    # back to English: the question after it, and the answers
    switch_language(page, "en")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    assert chat.question() == "pv-age"
    expect(chat.form.locator('.field[data-field="pv-under-age"] legend')).to_have_text(
        QUESTIONS["pv-under-age"]["text"]
    )
    expect(transcript).to_have_count(2)
    expect(transcript.nth(0)).to_contain_text(REFERENCE)
    expect(transcript.nth(1)).to_contain_text(option_label("fr-location", "england"))
    assert stored_conversation(page)["conversation_id"] == conversation_id
    assert not [r for r in intake(live) if r["conversation_id"] == conversation_id]  # nothing was submitted
    assert not violations  # the page in the new language is parsed for its words, its styles left out

    # a card for the person in Arabic while the page stays in English
    page.locator("#cards-open").click()
    expect(page.locator("#cards")).to_be_visible()
    consent = page.locator("#card-list > li[data-card=consent]")
    expect(consent).to_have_attribute("lang", "en")
    english_title = consent.locator(".card-item-title").inner_text().strip()
    assert english_title
    page.locator("#person-language").select_option("ar")
    expect(consent).to_have_attribute("lang", "ar")
    expect(consent).to_have_attribute("dir", "rtl")
    show = consent.locator("button.card-show")
    expect(show).to_contain_text("Show full screen")  # the worker's language
    show.click()
    view, card = page.locator("#card-view"), page.locator("#card-content")
    expect(view).to_be_visible()
    expect(card).to_have_attribute("data-card", "consent")
    expect(card).to_have_attribute("dir", "rtl")
    expect(card).to_have_attribute("lang", "ar")
    title = card.locator("#card-view-title").inner_text().strip()
    assert title
    assert title != english_title
    assert re.search(r"[\u0600-\u06FF]", title), title
    shot(page, "card-ar.png")
    expect(page.locator("#card-view-close")).to_have_text("إغلاق")  # the card's own controls, in its language
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    page.locator("#card-view-close").click()
    expect(view).to_be_hidden()
