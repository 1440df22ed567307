"""A town that is not on the list: typed as written, carried to the intake record marked as free text,
flagged for the caseworker, and refused with a clear message when empty or too long."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from assistant.intake import intake_records
from tests.conftest import Staff
from tests.scenarios import ROUTES, synthetic_answer
from tests.web.chats import submitted
from tests.web.test_form import Browser

ADULT = {
    **ROUTES["adult-consent-without-support"],
    "where-exploitation-happened": "uk",
    "where-exploitation-happened-uk-city": ["leeds", {"free_text": "Little Snoring"}],
    "current-pv-location-uk-city": {"free_text": " Great  Snoring "},
}


def test_a_place_not_on_the_list_reaches_the_intake_record_and_the_caseworker(
    app: Flask, new_chat: Any, staff: Staff, list_values: dict[str, str]
) -> None:
    reference = submitted(new_chat(), ADULT, list_values)
    with app.app_context():
        [record] = intake_records()
    assert record["reference"] == reference
    assert record["answers"]["where-exploitation-happened-uk-city"] == ["leeds", {"free_text": "Little Snoring"}]
    assert record["answers"]["current-pv-location-uk-city"] == {"free_text": "Great Snoring"}
    page = html.unescape(staff.client("caseworker").get(f"/casework/referrals/{reference}").text)
    assert "Leeds; Little Snoring (not on the list)" in page
    assert "Great Snoring (not on the list)" in page


def test_an_empty_or_too_long_name_is_refused_in_the_chat(new_chat: Any, list_values: dict[str, str]) -> None:
    chat = new_chat()
    turn = chat.start()
    while turn["prompt"]["question_id"] != "current-pv-location-uk-city":
        prompt = turn["prompt"]
        turn = chat.answer(
            prompt["question_id"], ADULT.get(prompt["question_id"], synthetic_answer(prompt, list_values))
        )
        assert turn["ok"], turn
    assert turn["prompt"]["free_text"] is True
    empty = chat.answer("current-pv-location-uk-city", {"free_text": "  "})
    assert empty["error"]["message"] == "Type the name as it is written, or choose one of the matches from the list"
    long = chat.answer("current-pv-location-uk-city", {"free_text": "x" * 101})
    assert long["error"]["message"] == "The name must be 100 characters or fewer"
    assert chat.answer("current-pv-location-uk-city", {"free_text": "Great Snoring"})["ok"]
    back = chat.send("back")
    assert back["prompt"]["previous"] == {"free_text": "Great Snoring"}
    assert back["prompt"]["previous_options"] == [{"value": {"free_text": "Great Snoring"}, "label": "Great Snoring"}]


def test_not_on_the_list_without_javascript(app: Flask, staff: Staff) -> None:
    client: FlaskClient = staff.client("first-responder")
    browser = Browser(client, app)
    browser.get("/form/")
    browser.post("/form/start")
    while browser.current()[0] != "current-pv-location-uk-city":
        browser.answer(ROUTES["adult-consent-without-support"] | {"where-exploitation-happened": "uk"})
        assert "There is a problem" not in browser.html, browser.current()
    assert "It is not on the list: keep what I typed" in browser.html
    base = {"question_id": "current-pv-location-uk-city", "kind": "lookup", "list": "uk-towns"}
    browser.post("/form/answer", **base, value_text="", not_listed="1", client_msg_id="a")
    assert "Type the name as it is written, or choose one of the matches from the list" in html.unescape(browser.html)
    browser.post("/form/answer", **base, value_text="x" * 101, not_listed="1", client_msg_id="b")
    assert "The name must be 100 characters or fewer" in browser.html
    assert 'value="' + "x" * 101 + '"' in browser.html  # what was typed is kept
    browser.post("/form/answer", **base, value_text="Great Snoring", not_listed="1", client_msg_id="c")
    assert browser.current()[0] != "current-pv-location-uk-city"
    browser.post("/form/back")
    assert 'value="Great Snoring"' in browser.html
    assert 'id="not-listed" aria-describedby="not-listed-hint" checked' in browser.html
