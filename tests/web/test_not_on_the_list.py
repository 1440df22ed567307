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


GROUP, TOWN = "current-location", "current-pv-location-uk-city"  # the town is a field of its group


def field_message(turn: dict[str, Any], field_id: str) -> str:
    return next(f["message"] for f in turn["error"]["fields"] if f["field_id"] == field_id)


def test_an_empty_or_too_long_name_is_refused_in_the_chat(new_chat: Any, list_values: dict[str, str]) -> None:
    chat = new_chat()
    turn = chat.start()
    while turn["prompt"]["question_id"] != GROUP:
        prompt = turn["prompt"]
        turn = chat.answer(
            prompt["question_id"], ADULT.get(prompt["question_id"], synthetic_answer(prompt, list_values))
        )
        assert turn["ok"], turn
    [town] = [f for f in turn["prompt"]["fields"] if f["field_id"] == TOWN]
    assert town["free_text"] is True
    others = synthetic_answer(turn["prompt"], list_values)
    empty = chat.answer(GROUP, {**others, TOWN: {"free_text": "  "}})
    assert field_message(empty, TOWN) == "Type the name as it is written, or choose one of the matches from the list"
    long = chat.answer(GROUP, {**others, TOWN: {"free_text": "x" * 101}})
    assert field_message(long, TOWN) == "The name must be 100 characters or fewer"
    assert chat.answer(GROUP, {**others, TOWN: {"free_text": "Great Snoring"}})["ok"]
    back = chat.send("back")
    [town] = [f for f in back["prompt"]["fields"] if f["field_id"] == TOWN]
    assert town["previous"] == {"free_text": "Great Snoring"}
    assert town["previous_options"] == [{"value": {"free_text": "Great Snoring"}, "label": "Great Snoring"}]


def test_not_on_the_list_without_javascript(app: Flask, staff: Staff) -> None:
    client: FlaskClient = staff.client("first-responder")
    browser = Browser(client, app)
    browser.get("/form/")
    browser.post("/form/start")
    while browser.current()[0] != GROUP:
        browser.answer(ROUTES["adult-consent-without-support"] | {"where-exploitation-happened": "uk"})
        assert "There is a problem" not in browser.html, browser.current()
    assert "It is not on the list: keep what I typed" in browser.html
    base = {
        "question_id": GROUP,
        "kind": "group",
        "field": [f"{TOWN}:lookup", "current-pv-location-uk-region:lookup"],
        f"{TOWN}:list": "uk-towns",
        "current-pv-location-uk-region:list": "uk-regions",
        "current-pv-location-uk-region:value": "bristol",
    }
    browser.post("/form/answer", **base, **{f"{TOWN}:value_text": "", f"{TOWN}:not_listed": "1"}, client_msg_id="a")
    assert "Type the name as it is written, or choose one of the matches from the list" in html.unescape(browser.html)
    browser.post(
        "/form/answer", **base, **{f"{TOWN}:value_text": "x" * 101, f"{TOWN}:not_listed": "1"}, client_msg_id="b"
    )
    assert "The name must be 100 characters or fewer" in browser.html
    assert 'value="' + "x" * 101 + '"' in browser.html  # what was typed is kept
    browser.post(
        "/form/answer", **base, **{f"{TOWN}:value_text": "Great Snoring", f"{TOWN}:not_listed": "1"}, client_msg_id="c"
    )
    assert browser.current()[0] != GROUP
    browser.post("/form/back")
    assert 'value="Great Snoring"' in browser.html
    assert f'id="f-{TOWN}-not-listed" aria-describedby="f-{TOWN}-not-listed-hint" checked' in browser.html
