"""The chat page in a phone-sized Chromium: whole referrals through the UI, a flaky network, and what the
browser keeps. Every value typed is synthetic (tests/scenarios.py)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import socketio
from playwright.sync_api import Page, expect

from assistant.references import is_valid_reference
from tests.browser.chat_driver import (
    LIST_VALUES,
    LOOKUPS,
    QUESTIONS,
    STATUS,
    Chat,
    answer_turns,
    intake,
    option_label,
    review_row,
    shot,
    stored_conversation,
)
from tests.browser.conftest import LiveServer, socket_headers
from tests.scenarios import ROUTES

pytestmark = pytest.mark.browser


def test_a_child_referral_through_the_chat(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    assert chat.question() == "reference"
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    expect(page.locator("#progress-text")).to_contain_text("Section 1 of")
    expect(page.locator("#turn .back-link")).to_have_count(0)  # nothing to go back to
    shot(page, "chat-question.png")

    # a required answer left empty is refused, and the question stays
    chat.send()
    expect(page.locator("#q-error")).to_be_visible()
    expect(page.locator("#q-error")).to_contain_text("Error:")
    expect(page).to_have_title(re.compile("^Error: "))
    assert chat.question() == "reference"
    shot(page, "chat-error.png")

    chat.answer("reference", "SYN-CHILD-0001")
    expect(page.locator("#q-error")).to_be_hidden()
    expect(page).not_to_have_title(re.compile("Error"))
    chat.on_matches = lambda qid: shot(page, "chat-typeahead.png") if qid == "user-organisation" else None
    chat.answer("about-your-work")  # the organisation and the part of the UK, in one turn
    chat.on_matches = None
    chat.answer_until("birthplace")

    # Back: the previous question comes back with the answer given before
    chat.answer("birthplace", "Synthetic Town One")
    assert chat.question() == "family"
    assert chat.back() == "birthplace"
    expect(chat.form.locator("#answer")).to_have_value("Synthetic Town One")
    assert not any("Synthetic Town One" in t for t in chat.transcript())  # no longer before the question
    chat.answer("birthplace", keep=True)  # Continue keeps it
    assert chat.question() == "family"
    assert "Synthetic Town One" in chat.transcript()[-1]

    # a reload mid-way resumes at the same question, with the transcript
    chat.answer_until("indicators")
    before = chat.transcript()
    assert len(before) >= 20
    page.reload()
    assert chat.question() == "indicators"
    expect(page.locator("#history")).to_be_visible()
    expect(page.locator("#transcript > li")).to_have_count(len(before))
    after = chat.transcript()
    assert after[0] == before[0]
    assert "SYN-CHILD-0001" in after[0]
    assert any("Synthetic Town One" in t for t in after)

    chat.answer_until("review")
    expect(page.locator("#turn .review h2")).to_have_text("Check your answers before you submit")
    expect(page.locator("#progress-text")).to_contain_text("Check your answers")
    where = review_row(page, QUESTIONS["where-exploitation-happened"]["text"])
    expect(where.locator(".summary-value")).to_have_text("In the UK")
    expect(review_row(page, QUESTIONS["where-exploitation-happened-uk-city"]["text"])).to_have_count(1)
    shot(page, "chat-review.png")

    # Change an answer that re-routes: new questions are asked, then the review comes back
    where.locator("button", has_text="Change").click()
    assert chat.question() == "where-exploited"  # the group that asks it, every answer in place
    expect(chat.form.get_by_label("In the UK", exact=True)).to_be_checked()
    chat.asked.clear()
    chat.fixed["where-exploitation-happened"] = "overseas"
    chat.answer_until("review")
    assert chat.asked == ["where-exploited"]  # the countries are asked in the same turn
    expect(review_row(page, QUESTIONS["where-exploitation-happened"]["text"]).locator(".summary-value")).to_have_text(
        "Outside the UK"
    )
    overseas = review_row(page, QUESTIONS["where-exploitation-happened-overseas-country"]["text"])
    expect(overseas.locator(".summary-value")).to_have_text(
        LOOKUPS.label("countries-overseas", LIST_VALUES["countries-overseas"], "en")
    )
    expect(review_row(page, QUESTIONS["where-exploitation-happened-uk-city"]["text"])).to_have_count(0)

    conversation_id = stored_conversation(page)["conversation_id"]
    page.locator("#turn .review").get_by_role("button", name="Submit referral").click()
    expect(page.locator("#turn .panel-title")).to_have_text("NRM referral submitted")
    reference = page.locator("#turn .reference").inner_text()
    expect(page.locator("#turn").get_by_role("link", name="My referrals")).to_have_attribute("href", "/referrals/")
    assert re.fullmatch(r"NRM-[A-Z0-9]{4}-[A-Z0-9]{4}", reference), reference
    assert is_valid_reference(reference)
    expect(page.locator("#progress-text")).to_contain_text("Sent")
    assert stored_conversation(page) == {}  # the device forgets the submitted referral
    shot(page, "chat-receipt.png")

    records = [r for r in intake(live) if r["reference"] == reference]
    assert len(records) == 1
    record = records[0]
    assert record["kind"] == "nrm"
    assert record["conversation_id"] == conversation_id
    answers = record["answers"]
    assert answers["pv-under-age"] == "yes"
    assert answers["reference"] == "SYN-CHILD-0001"
    assert answers["birthplace"] == "Synthetic Town One"
    assert answers["where-exploitation-happened"] == "overseas"
    assert answers["where-exploitation-happened-overseas-country"] == [LIST_VALUES["countries-overseas"]]
    assert "where-exploitation-happened-uk-city" not in answers  # left the path: never submitted
    assert len([r for r in intake(live) if r["conversation_id"] == conversation_id]) == 1


def test_an_adult_duty_to_notify_report_through_the_chat(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-not-cooperating"])
    chat.answer("reference", "SYN-DTN-0002")
    chat.answer_until("review")
    assert "consent" in chat.asked
    assert "pv-name" not in chat.asked
    expect(review_row(page, QUESTIONS["pv-want-to-submit-nrm"]["text"]).locator(".summary-value")).to_have_text(
        option_label("pv-want-to-submit-nrm", "no")
    )
    expect(page.locator("#turn .review").get_by_role("button", name="Submit referral")).to_have_count(0)
    expect(page.locator("#turn .review h2")).to_have_text("Check your answers before you send the report")
    expect(page.locator("#announce")).to_contain_text("Check your answers before you send the report")
    page.locator("#turn .review").get_by_role("button", name="Send report").click()

    expect(page.locator("#turn .panel-title")).to_have_text("Duty to Notify report submitted")
    reference = page.locator("#turn .reference").inner_text()
    assert re.fullmatch(r"DTN-[A-Z0-9]{4}-[A-Z0-9]{4}", reference), reference
    assert is_valid_reference(reference)

    records = [r for r in intake(live) if r["reference"] == reference]
    assert len(records) == 1
    assert records[0]["kind"] == "dtn"
    assert records[0]["answers"]["reference"] == "SYN-DTN-0002"
    assert records[0]["answers"]["pv-want-to-submit-nrm"] == "no"
    assert "pv-name-first-name" not in records[0]["answers"]


def test_an_answer_given_offline_is_sent_once_when_back_online(page: Page, context: Any, live: LiveServer) -> None:
    # Observed with Debian's Chromium: offline mode does not close an open WebSocket, it holds its frames
    # and delivers them when back online; new WebSockets and polling requests fail while offline. The
    # Socket.IO client closes its own connection on the browser's `offline` event. So the proof that the
    # page itself keeps the answer is the wire: it must leave the browser once, after the network is back.
    phase = ["online"]
    wire: list[tuple[str, str]] = []  # (phase, what the page sent: WebSocket frames and polling bodies)
    closed: list[str] = []

    def on_websocket(ws: Any) -> None:
        ws.on("framesent", lambda payload: wire.append((phase[0], str(payload))))
        ws.on("close", lambda w: closed.append(phase[0]))

    page.on("websocket", on_websocket)
    page.on("request", lambda r: wire.append((phase[0], r.post_data or "")) if "/socket.io/" in r.url else None)
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-cooperating"])
    chat.answer_until("birthplace")
    assert len(chat.asked) >= 4
    conversation = stored_conversation(page)
    expect(page.locator("#status")).to_have_text(STATUS["connected"])

    phase[0] = "offline"
    context.set_offline(True)
    expect(page.locator("#status")).to_have_text(STATUS["offline"])
    handle = chat.form.element_handle()
    chat.fill("birthplace", "Synthetic Offline Town")
    chat.send()
    expect(chat.form.locator(".sending")).to_have_text(
        "Waiting for a connection. Your answer will be sent when you are back online."
    )
    expect(chat.form).to_have_attribute("aria-busy", "true")
    page.wait_for_timeout(1500)
    assert chat.question() == "birthplace"  # not lost, not moved on
    expect(chat.form.locator("#answer")).to_have_value("Synthetic Offline Town")
    assert answer_turns(live, conversation["conversation_id"], "birthplace") == 0  # nothing reached the server
    for _ in range(100):  # Chromium reports the close once the held close handshake times out (about 2 s)
        if closed:
            break
        page.wait_for_timeout(100)
    # The connection in use was dropped, not merely paused (a reconnection tried offline may close too).
    assert closed
    assert set(closed) == {"offline"}

    phase[0] = "back"
    context.set_offline(False)
    page.wait_for_function("f => !f.isConnected", arg=handle, timeout=20_000)
    assert chat.question() == "family"
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    expect(page.locator("#notice")).to_be_empty()
    assert "Synthetic Offline Town" in chat.transcript()[-1]
    assert [p for p, data in wire if "Synthetic Offline Town" in data] == ["back"]  # sent once, once online

    # the server's record: applied once, and the transcript has it once
    assert answer_turns(live, conversation["conversation_id"], "birthplace") == 1
    client = socketio.Client(reconnection=False)
    client.connect(live.url, transports=["websocket"], headers=socket_headers(page), wait_timeout=10)
    try:
        resumed = client.call(
            "resume",
            {"conversation_id": conversation["conversation_id"], "resume_token": conversation["resume_token"]},
            timeout=10,
        )
    finally:
        client.disconnect()
    assert resumed["ok"], resumed
    assert resumed["prompt"]["question_id"] == "family"
    given = [e for e in resumed["transcript"] if e["question_id"] == "birthplace"]
    assert [e["answer"] for e in given] == ["Synthetic Offline Town"]
    assert [e["question_id"] for e in resumed["transcript"]] == [*chat.asked, "birthplace"]


def test_the_browser_keeps_no_answers_and_quick_exit_forgets_the_referral(
    page: Page, context: Any, live: LiveServer
) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-cooperating"])
    secrets = {
        "reference": "SYN-SAFE-0003",
        "birthplace": "Synthetic Hamlet Zed",
        "family": "Synthetic family account for the storage test.",
    }
    chat.answer("reference", secrets["reference"])
    chat.answer_until("birthplace")
    chat.answer("birthplace", secrets["birthplace"])
    chat.answer("family", secrets["family"])
    assert chat.question() == "education"
    assert all(any(s in t for t in chat.transcript()) for s in secrets.values())  # on screen, in memory

    local = page.evaluate("Object.fromEntries(Object.entries(localStorage))")
    session = page.evaluate("Object.fromEntries(Object.entries(sessionStorage))")
    cookies = context.cookies()
    assert list(local) == ["nrm-conversation"]
    kept = json.loads(local["nrm-conversation"])
    assert set(kept) == {"conversation_id", "resume_token"}
    assert re.fullmatch(r"[0-9a-f]{32}", kept["conversation_id"])
    assert session == {}
    everything = json.dumps([local, session, cookies])
    for text in [*secrets.values(), "Synthetic", "England", "Aberdeen"]:
        assert text.lower() not in everything.lower(), text

    # Quick exit: the device forgets the referral and leaves without a history entry
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
    left: list[str] = []

    def outside(route: Any) -> None:  # answered here: nothing leaves the machine
        left.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Weather</title><p>Weather")

    kept_here = [o for o in context.storage_state()["origins"] if o["origin"] == live.url]
    assert [i["name"] for o in kept_here for i in o["localStorage"]] == ["nrm-conversation"]  # what exit must clear
    page.route("https://www.bbc.co.uk/**", outside)
    page.locator("#quick-exit").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert left[0] == "https://www.bbc.co.uk/weather"
    assert set(hosts) <= {urlsplit(live.url).netloc, "www.bbc.co.uk"}, hosts
    expect(page).to_have_title("Weather")
    app_origins = [o for o in context.storage_state()["origins"] if o["origin"] == live.url]
    assert all(not o["localStorage"] for o in app_origins), app_origins
    opened: list[str] = []
    page.on("request", lambda r: opened.append(urlsplit(r.url).path) if r.is_navigation_request() else None)
    page.go_back()  # the chat was replaced in the history, not stacked: back is the page before it
    assert opened[:1] == ["/account"], opened  # where the test signed in; quick exit ended the session too
    expect(page.locator("h1")).to_have_text("Sign in")


def test_consent_links_its_card_and_a_contradiction_is_asked_in_the_chat(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, {**ROUTES["adult-consent-without-support"], "pv-dob": "2014-05-01"})
    chat.answer_until("consent")
    # the consent card is one tap away from the consent question, in the person's language
    link = chat.form.locator("[data-card-link=consent]")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#card-view")).to_be_visible()
    expect(page.locator("#card-content")).to_have_attribute("data-card", "consent")
    page.locator("#card-view-close").click()
    chat.answer()

    # a date of birth that makes them a child after "not under 18": asked at once, the safe choice first
    chat.answer_until("pv-name")  # the group that asks the date of birth
    handle = chat.form.element_handle()
    chat.fill("pv-name")
    chat.send()
    page.wait_for_function("f => !f.isConnected", arg=handle)
    assert chat.question() == "conflict:date-of-birth-under-18"
    expect(chat.form).to_contain_text("This date of birth means they are under 18 today")
    replies = chat.form.locator(".replies .reply")
    expect(replies.first).to_have_text("They are under 18: refer them as a child")
    handle = chat.form.element_handle()
    replies.first.click()
    page.wait_for_function("f => !f.isConnected", arg=handle)
    assert chat.question() == "child-safeguarding-first"


def test_the_chat_talks_over_a_websocket_that_the_policy_allows(page: Page, live: LiveServer) -> None:
    """connect-src is 'self' only: the chat must still upgrade to a WebSocket to its own origin."""
    violations: list[str] = []
    received: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-not-cooperating"])
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    chat.answer_until("about-your-work")
    acknowledgements = [frame for frame in received if frame.startswith("43")]
    assert acknowledgements, "no acknowledgement came over the WebSocket"
    assert not violations
