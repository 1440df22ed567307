"""The Socket.IO protocol of docs/protocol.md, through Flask-SocketIO's test client."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.references import is_valid_reference
from tests.conftest import Chat
from tests.scenarios import ROUTES, synthetic_answer
from tests.web.chats import complete


def test_start_gives_the_first_prompt_progress_and_a_resume_token(chat: Chat) -> None:
    turn = chat.start()
    assert turn["ok"] is True
    assert turn["prompt"]["question_id"] == "reference"
    assert turn["prompt"]["kind"] == "text"
    assert turn["progress"] == {"section": 1, "sections": 14, "title": "About this report"}
    assert turn["language"] == "en"
    assert len(turn["resume_token"]) >= 40


def test_a_prompt_answered_in_one_line_says_how_to_draw_its_input(chat: Chat) -> None:
    first = chat.start()["prompt"]
    assert first["kind"] == "text"
    assert first["input"] == {"attributes": {}}
    second = chat.answer("reference", "CASE-1")["prompt"]
    assert second["kind"] == "group"
    assert "input" not in second
    organisation, location = second["fields"]
    assert (organisation["field_id"], organisation["kind"], organisation["lookup"]) == (
        "user-organisation",
        "select",
        "organisations",
    )
    assert "input" not in organisation
    assert location["field_id"] == "fr-location"
    assert [o["value"] for o in location["options"]] == ["england", "wales", "scotland", "northern-ireland"]


def test_an_unknown_flow_or_language_is_refused(chat: Chat) -> None:
    assert chat.call("start", {"flow": "nope", "language": "en"})["error"]["code"] == "unknown_flow"
    assert chat.call("start", {"flow": "nrm", "language": "xx"})["error"]["code"] == "unsupported_language"
    assert chat.call("start", "not an object")["error"]["code"] == "bad_request"


def test_a_repeated_start_returns_the_same_conversation(chat: Chat) -> None:
    first = chat.start(client_msg_id="start-1")
    again = chat.start(client_msg_id="start-1")
    assert again["conversation_id"] == first["conversation_id"]
    assert again["resume_token"] == first["resume_token"]


def test_a_rejected_answer_re_asks_with_an_error_and_keeps_earlier_answers(chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    turn = chat.answer("about-your-work", {"user-organisation": "not-an-organisation", "fr-location": "england"})
    assert turn["ok"] is False
    assert turn["error"] == {
        "code": "invalid",
        "message": "Choose an answer from the list",
        "question_id": "about-your-work",
        "fields": [{"field_id": "user-organisation", "message": "Choose an answer from the list"}],
    }
    assert turn["prompt"]["question_id"] == "about-your-work"
    empty = chat.answer("about-your-work", {})["error"]["fields"]
    assert empty == [
        {"field_id": "user-organisation", "message": "Choose the organisation you work for from the list"},
        {"field_id": "fr-location", "message": "Select the part of the UK you are working in"},
    ]
    back = chat.send("back")
    assert back["prompt"]["previous"] == "CASE-001"


def test_an_answer_to_another_question_is_not_current_and_changes_nothing(chat: Chat) -> None:
    chat.start()
    turn = chat.answer("fr-location", "england")
    assert turn["error"]["code"] == "not_current"
    assert turn["prompt"]["question_id"] == "reference"


def test_a_repeated_client_msg_id_is_applied_once_and_gets_the_same_ack(chat: Chat) -> None:
    chat.start()
    first = chat.answer("reference", "CASE-001", client_msg_id="same")
    again = chat.answer("reference", "CASE-001", client_msg_id="same")
    assert again == first
    assert chat.resume()["transcript"] == [
        {"question_id": "reference", "question": first_question_text(chat), "answer": "CASE-001"}
    ]


def first_question_text(chat: Chat) -> str:
    return chat.resume()["transcript"][0]["question"]


def test_resume_after_reconnecting_returns_the_prompt_and_transcript(chat: Chat, new_chat: Any) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    other = new_chat()
    other.conversation_id, other.resume_token = chat.conversation_id, chat.resume_token
    turn = other.resume()
    assert turn["prompt"]["question_id"] == "about-your-work"
    assert [t["answer"] for t in turn["transcript"]] == ["CASE-001"]
    assert other.answer("about-your-work", {"user-organisation": "nope"})["error"]["code"] == "invalid"


def test_another_organisation_cannot_touch_a_draft_even_with_its_token(chat: Chat, new_chat: Any) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    intruder = new_chat("barnardos")
    intruder.conversation_id, intruder.resume_token = chat.conversation_id, chat.resume_token
    not_found = {
        "ok": False,
        "error": {"code": "not_found", "message": "This referral could not be found. Start a new one."},
    }
    assert intruder.resume() == not_found
    assert intruder.answer("user-organisation", "x") == not_found
    assert intruder.send("back") == not_found
    assert intruder.send("submit") == not_found
    assert intruder.call("language", {"conversation_id": chat.conversation_id, "language": "cy"}) == not_found
    assert chat.resume()["prompt"]["question_id"] == "about-your-work"  # untouched


def test_a_colleague_in_the_same_organisation_can_carry_on_a_draft(chat: Chat, new_chat: Any) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    colleague = new_chat("salvation-army")
    colleague.conversation_id, colleague.resume_token = chat.conversation_id, chat.resume_token
    assert colleague.resume()["prompt"]["question_id"] == "about-your-work"


def test_a_forged_resume_token_gets_an_error_and_nothing_else(chat: Chat, new_chat: Any) -> None:
    chat.start()
    intruder = new_chat("barnardos")
    intruder.conversation_id = chat.conversation_id
    assert set(intruder.resume(token="forged")) == {"ok", "error"}
    assert intruder.answer("reference", "x")["error"]["code"] == "not_found"


def test_lookup_matches_anywhere_case_insensitively_at_most_twenty(chat: Chat) -> None:
    found = chat.call("lookup", {"list": "uk-towns", "query": "a"})
    assert found["ok"]
    assert len(found["matches"]) == 20
    matches = chat.call("lookup", {"list": "police-forces", "query": "YORK"})["matches"]
    assert matches
    assert all("york" in m["label"].lower() for m in matches)
    countries = chat.call("lookup", {"list": "countries-overseas", "query": "king"})["matches"]
    assert {"value": "GB", "label": "United Kingdom"} not in countries
    assert chat.call("lookup", {"list": "nationalities", "query": "alban"})["matches"] == [
        {"value": "AL", "label": "Albania"}
    ]


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_reaches_the_review_and_submits_once(chat: Chat, route: str, list_values: dict[str, str]) -> None:
    chat.start()
    last = complete(chat, ROUTES[route], list_values)
    assert last["review"]["sections"][0]["items"][0]["question_id"] == "reference"
    assert last["progress"]["section"] == 14
    assert last["progress"]["title"] == "Check your answers"
    receipt = chat.send("submit", client_msg_id="submit-1")
    expected_kind = "dtn" if ROUTES[route].get("pv-want-to-submit-nrm") == "no" else "nrm"
    assert receipt["submitted"]["kind"] == expected_kind
    assert is_valid_reference(receipt["submitted"]["reference"])
    assert receipt["submitted"]["reference"].startswith(expected_kind.upper() + "-")
    assert chat.send("submit")["submitted"] == receipt["submitted"]
    resent = chat.send("submit", client_msg_id="submit-1")  # lean: the "Sent" title was given already
    assert {**resent, "progress": receipt["progress"]} == receipt
    assert resent["progress"] == {"section": 14}
    assert chat.answer("reference", "x")["error"]["code"] == "submitted"


def test_a_lookup_answer_comes_back_with_its_label(chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    chat.answer("about-your-work", {"user-organisation": "salvation-army", "fr-location": "wales"})
    transcript = chat.resume()["transcript"]
    assert transcript[-1]["question_id"] == "about-your-work"  # a group is one entry of the transcript
    assert "The Salvation Army" in transcript[-1]["answer"]
    organisation, location = chat.send("back")["prompt"]["fields"]
    assert organisation["previous"] == "salvation-army"
    assert organisation["previous_options"] == [{"value": "salvation-army", "label": "The Salvation Army"}]
    assert location["previous"] == "wales"


def test_an_unknown_event_gets_bad_request(chat: Chat) -> None:
    assert chat.call("nosuchevent", {})["error"]["code"] == "bad_request"


def test_a_forged_token_is_not_found_whatever_else_is_wrong(chat: Chat, new_chat: Any) -> None:
    chat.start()
    other = new_chat()
    ack = other.call("resume", {"conversation_id": chat.conversation_id, "resume_token": "forged", "language": "xx"})
    assert ack["error"]["code"] == "not_found"


def test_the_automatic_referral_notice_offers_no_answers_to_choose(chat: Chat, list_values: dict[str, str]) -> None:
    chat.start()
    for question_id, value in [
        ("reference", "CASE-1"),
        ("about-your-work", {"user-organisation": "salvation-army", "fr-location": "england"}),
        ("pv-age", {"pv-under-age": "yes"}),
    ]:
        turn = chat.answer(question_id, value)
    while turn["prompt"]["question_id"] != "consent":
        turn = chat.answer(turn["prompt"]["question_id"], synthetic_answer(turn["prompt"], list_values))
    notice, *after_a_refusal = turn["prompt"]["fields"]  # the explanation for an adult's consent is not asked
    assert all(f["when"]["field"] == "pv-want-to-submit-nrm" for f in after_a_refusal)
    assert (notice["field_id"], notice["kind"]) == ("pv-want-to-submit-nrm", "info")
    assert "options" not in notice
    assert notice["required"] is False
    assert turn["prompt"]["required"] is True  # acknowledged with Continue, never skipped


def test_country_lists_hold_countries_only(app: Any, chat: Chat) -> None:
    with app.app_context():
        codes = {e.value for e in app.extensions["lookups"].entries("countries", "en")}
    assert "XK" in codes
    assert "GB" in codes
    assert not codes & {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "UN", "ZZ", "AQ"}
    assert {m["value"] for m in chat.call("lookup", {"list": "countries", "query": "kosovo"})["matches"]} == {"XK"}


def test_the_workers_organisation_is_offered_from_their_account(new_chat: Any) -> None:
    chat = new_chat("barnardos")
    chat.start()
    prompt = chat.answer("reference", "CASE-001")["prompt"]
    assert prompt["question_id"] == "about-your-work"  # still asked, to be confirmed
    organisation = prompt["fields"][0]
    assert organisation["previous"] == "barnardos"
    assert organisation["previous_options"][0]["value"] == "barnardos"
    assert chat.answer("about-your-work", {"user-organisation": "barnardos", "fr-location": "wales"})["ok"]
