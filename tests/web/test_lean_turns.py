"""Lean turns (docs/protocol.md): an acknowledgement leaves out what the connection was already told."""

from __future__ import annotations

from typing import Any

from tests.conftest import Chat
from tests.scenarios import ROUTES, synthetic_answer
from tests.web.chats import complete


def test_an_answer_in_the_same_section_carries_neither_the_language_nor_the_title_again(chat: Chat) -> None:
    chat.start()
    turn = chat.answer("reference", "CASE-1")
    assert turn["ok"]
    assert turn["prompt"]["question_id"] == "about-your-work"
    assert turn["progress"] == {"section": 1}
    assert "language" not in turn
    assert turn["conversation_id"] == chat.conversation_id


def test_a_new_section_brings_its_title_and_count_once(chat: Chat, list_values: dict[str, str]) -> None:
    chat.start()
    turn = chat.answer("reference", "CASE-1")
    while turn["progress"]["section"] == 1:
        prompt = turn["prompt"]
        route = ROUTES["adult-consent-with-support"]
        value = route.get(prompt["question_id"], prompt.get("previous") or synthetic_answer(prompt, list_values))
        turn = chat.answer(prompt["question_id"], value)
        assert turn["ok"], turn
    assert turn["progress"]["section"] == 2
    assert turn["progress"]["sections"] == 14
    assert turn["progress"]["title"]
    resent: dict[str, Any] = chat.send("back")
    assert resent["progress"]["section"] == 1
    assert resent["progress"]["title"] == "About this report"


def test_a_resent_event_is_made_lean_against_what_this_connection_was_told(chat: Chat, new_chat: Any) -> None:
    chat.start()
    first = chat.answer("reference", "CASE-1", client_msg_id="same")
    other = new_chat(web=chat.web)  # type: ignore[attr-defined]  # the same user on a new connection
    other.conversation_id = chat.conversation_id
    again = other.answer("reference", "CASE-1", client_msg_id="same")
    assert first["progress"] == {"section": 1}
    assert again["progress"]["title"] == "About this report"
    assert again["language"] == "en"
    assert {k: v for k, v in again.items() if k not in ("progress", "language")} == {
        k: v for k, v in first.items() if k != "progress"
    }


def test_resume_and_a_language_switch_carry_the_whole_turn(chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "CASE-1")
    resumed = chat.resume()
    assert resumed["language"] == "en"
    assert resumed["progress"]["title"] == "About this report"
    switched = chat.send("language", language="cy")
    assert switched["language"] == "cy"
    assert "title" in switched["progress"]


def test_the_review_brings_its_own_title_though_it_shares_the_last_sections_number(
    chat: Chat, list_values: dict[str, str]
) -> None:
    chat.start()
    review = complete(chat, ROUTES["adult-consent-with-support"], list_values)
    assert review["progress"] == {"section": 14, "sections": 14, "title": "Check your answers"}
