"""What a usability review of the chat at a phone viewport found: Change on the long review keeps the place,
quick exit ends the session, a type-ahead answer comes back once, and a draft card's notice is in the card's
language. Every value typed is synthetic."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import (
    LOOKUPS,
    QUESTIONS,
    STATUS,
    Chat,
    answer_turns,
    review_row,
    shot,
    stored_conversation,
)
from tests.browser.conftest import LiveServer
from tests.scenarios import ROUTES

pytestmark = pytest.mark.browser


def test_change_on_the_review_comes_back_to_the_row_changed(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer("reference", "SYN-REVIEW-0004")
    chat.answer_until("review")
    expect(page.locator("#turn .review h2")).to_be_focused()
    # a long review opens folded to its section titles, each with its count of answers
    sections = page.locator("#turn details.review-section")
    assert sections.count() > 5
    expect(page.locator("#turn details.review-section[open]")).to_have_count(0)
    expect(sections.first.locator(".section-count")).to_have_text(re.compile(r"^\d+ answers?$"))

    question = QUESTIONS["pv-name-first-name"]["text"]  # far down the review
    row = review_row(page, question)
    expect(row).to_have_count(1)
    row.locator("button", has_text="Change").click()
    assert chat.question() == "pv-name"  # the group that asks it
    chat.fixed["pv-name-first-name"] = "Synthetic Changed Name"
    chat.answer("pv-name")
    assert chat.screen() == "review"

    # back at the row, not at the top of the review: on screen, its Change button focused, and said
    row = review_row(page, question, unfold=False)
    expect(row.locator(".summary-value")).to_have_text("Synthetic Changed Name")
    change = row.locator("button", has_text="Change")
    expect(change).to_be_focused()
    expect(row).to_be_in_viewport(ratio=1)
    expect(page.locator("#turn details.review-section[open]")).to_have_count(1)  # only the changed row's section
    expect(page.locator("#announce")).to_have_text(
        re.compile(f"Check your answers before you submit\\. {re.escape(question)}$")
    )

    # a review shown again for another reason starts at its top
    page.reload()
    assert chat.screen() == "review"
    expect(page.locator("#turn .review h2")).to_be_focused()


def test_quick_exit_ends_the_session(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer("reference", "SYN-EXIT-0006")
    assert chat.question() == "about-your-work"
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    headers = {"User-Agent": page.evaluate("navigator.userAgent")}  # a session is bound to its user agent
    alive = f"{live.url}/session/alive"
    assert page.context.request.get(alive, headers=headers, max_redirects=0).status == 204  # signed in
    signing_out: list[Any] = []
    page.context.on("request", lambda r: signing_out.append(r) if urlsplit(r.url).path == "/sign-out" else None)
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>Weather</title><p>Weather"
        ),
    )

    page.locator("#quick-exit").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    expect(page).to_have_title("Weather")
    assert [r.method for r in signing_out] == ["POST"]  # sent once, in the background
    assert "csrf_token" in (signing_out[0].post_data or "")
    assert "SYN-EXIT-0006" not in (signing_out[0].post_data or "")
    for _ in range(50):  # nothing waited for the sign-out: it may still be on its way
        if page.context.request.get(alive, headers=headers, max_redirects=0).status == 401:
            break
        page.wait_for_timeout(100)
    assert page.context.request.get(alive, headers=headers, max_redirects=0).status == 401  # the session is over

    page.go_back()  # the page before the chat (the chat left no history entry) wants a sign-in
    expect(page.locator("h1")).to_have_text("Sign in")
    assert urlsplit(page.url).path == "/sign-in", page.url
    assert "SYN-EXIT-0006" not in page.content()
    assert page.evaluate("localStorage.length") == 0


def test_a_lookup_answer_chosen_from_the_list_comes_back_once(page: Page, live: LiveServer) -> None:
    sent: list[str] = []  # what the page sends: WebSocket frames and polling bodies
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    page.on("request", lambda r: sent.append(r.post_data or "") if "/socket.io/" in r.url else None)
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer("reference", "SYN-LOOKUP-0005")
    label = LOOKUPS.label("organisations", "salvation-army", "en")
    assert label == "The Salvation Army"
    box = chat.form.locator("input[role=combobox]")
    expect(box).to_have_value(label)  # the account's organisation, offered to confirm
    box.fill("")
    box.press_sequentially("Salvation")
    chat.form.locator("#f-user-organisation-list [role=option]", has_text=re.compile(f"^{label}$")).click()
    expect(box).to_have_value(label)
    chat.form.get_by_label("England", exact=True).check()
    chat.answer("about-your-work", keep=True)
    assert chat.question() == "pv-age"
    conversation_id = stored_conversation(page)["conversation_id"]
    assert answer_turns(live, conversation_id, "about-your-work") == 1

    # Back: the answer is in the text box, once; no chip as well
    assert chat.back() == "about-your-work"
    box = chat.form.locator("input[role=combobox]")
    expect(box).to_have_value(label)
    expect(chat.form.locator(".chip")).to_have_count(0)
    expect(chat.form.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)

    # emptying the box clears the answer: Continue sends none, not the old one (and the question needs one)
    before = len(sent)
    box.fill("")
    chat.send()
    expect(chat.form.locator("#f-user-organisation-error")).to_be_visible()
    assert chat.question() == "about-your-work"
    answers = [f for f in sent[before:] if '"answer"' in f]
    assert answers
    assert all('"user-organisation":null' in f for f in answers), answers
    assert not any("salvation-army" in f for f in answers), answers
    assert not any(label in t for t in chat.transcript())

    # another organisation chosen instead is the one sent
    other = LOOKUPS.label("organisations", "migrant-help", "en")
    box.press_sequentially("Migrant")
    chat.form.locator("#f-user-organisation-list [role=option]", has_text=re.compile(f"^{re.escape(other)}$")).click()
    chat.answer("about-your-work", keep=True)
    assert chat.question() == "pv-age"
    assert other in chat.transcript()[-1]


def test_a_draft_card_says_so_in_the_cards_language(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    Chat(page).question()
    expect(page.locator("#status")).to_have_text(STATUS["connected"])  # cards come over the connection
    page.locator("#cards-open").click()
    expect(page.locator("#card-list > li")).to_have_count(5)
    page.locator("#person-language").select_option("ar")
    consent = page.locator("#card-list > li[data-card=consent]")
    expect(consent).to_have_attribute("lang", "ar")
    consent.locator("button.card-show").click()

    card = page.locator("#card-content")
    expect(card).to_have_attribute("lang", "ar")
    notice = card.locator(".card-draft")
    expect(notice).to_have_count(1)
    expect(notice).to_have_text(re.compile("^ترجمة"))  # the person reads it: Arabic, not the page's English
    assert "Draft translation" not in notice.inner_text()
    assert notice.evaluate("e => [e.closest('[lang]').lang, getComputedStyle(e).direction]") == ["ar", "rtl"]
    page.locator("#card-view-close").click()

    page.locator("#person-language").select_option("en")  # English is not a draft: no notice
    page.locator("#card-list > li[data-card=consent][lang=en] button.card-show").click()
    expect(card).to_have_attribute("lang", "en")
    expect(card.locator(".card-draft")).to_have_count(0)


def test_the_review_lists_weak_answers_before_submit_and_each_opens_its_change(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer("reference", "SYN-QUALITY-0008")
    chat.answer_until("review")  # every account answer is a two-word synthetic text: too short to be useful

    short = page.locator("#turn .weakness[data-question='how-did-the-exploitation-start']").filter(
        has_text="This answer is short."
    )
    expect(short).to_have_count(1)
    # it says which answer it is about, in words a sighted worker reads too (several share a message)
    expect(short.locator(".weakness-question")).to_have_text(QUESTIONS["how-did-the-exploitation-start"]["text"])
    page.locator("#turn .weaknesses").scroll_into_view_if_needed()
    shot(page, "chat-review-weaknesses.png")
    submit = page.locator("#turn .review .actions button")
    expect(submit).to_have_text("Submit referral")
    assert short.evaluate(
        "(w, submit) => !!(w.compareDocumentPosition(submit) & Node.DOCUMENT_POSITION_FOLLOWING)",
        submit.element_handle(),
    )
    link = short.get_by_role("button", name=re.compile("^Change this answer"))
    expect(link).to_have_accessible_name(
        re.compile(re.escape(QUESTIONS["how-did-the-exploitation-start"]["text"]) + "$")
    )
    link.click()
    assert chat.question() == "how-did-the-exploitation-start"
    chat.answer(
        "how-did-the-exploitation-start",
        "In the spring of 2019 a man at the bus station offered her a job in a kitchen, with wages and a room.",
    )
    assert chat.screen() == "review"
    expect(short).to_have_count(0)
    row = review_row(page, QUESTIONS["how-did-the-exploitation-start"]["text"], unfold=False)
    expect(row.locator("button", has_text="Change")).to_be_focused()
