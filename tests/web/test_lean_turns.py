"""Lean turns (docs/protocol.md): an acknowledgement leaves out what the connection was already told."""

from __future__ import annotations

from typing import Any

from assistant.lean_turns import lean, remember_whole
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
    assert "conversation_id" not in turn  # the conversation of this connection's last turn


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
    assert again["conversation_id"] == chat.conversation_id
    assert "conversation_id" not in first
    assert {k: v for k, v in again.items() if k not in ("progress", "language", "conversation_id")} == {
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


def test_a_turn_about_another_conversation_names_it(chat: Chat, new_chat: Any) -> None:
    chat.start()
    first = chat.conversation_id
    chat.answer("reference", "CASE-1")
    chat.start()
    assert chat.conversation_id != first
    chat.conversation_id = first
    turn = chat.send("back")
    assert turn["conversation_id"] == first
    assert "conversation_id" not in chat.send("back", client_msg_id="other")


def test_the_review_leaves_out_the_question_texts_this_connection_was_given(
    chat: Chat, new_chat: Any, list_values: dict[str, str]
) -> None:
    chat.start()
    lean_review = complete(chat, ROUTES["adult-consent-with-support"], list_values)["review"]
    items = [item for section in lean_review["sections"] for item in section["items"]]
    assert items
    assert all("question" not in item and item["answer"] for item in items)
    assert all("question" not in weakness for weakness in lean_review["weaknesses"])
    whole = chat.resume()["review"]  # resume always carries the whole turn
    texts = {item["question_id"]: item["question"] for s in whole["sections"] for item in s["items"]}
    assert set(texts) == {item["question_id"] for item in items}
    assert all(texts.values())
    other = new_chat(web=chat.web)  # type: ignore[attr-defined]  # another connection knows none of them
    other.conversation_id = chat.conversation_id
    again = other.send("back")
    assert again["prompt"]["text"]
    assert again["conversation_id"] == chat.conversation_id
    review = other.answer(again["prompt"]["question_id"], _given(again["prompt"]))["review"]
    told = _ids(again["prompt"])
    for section in review["sections"]:
        for item in section["items"]:
            assert ("question" in item) == (item["question_id"] not in told), item
            if "question" in item:
                assert item["question"] == texts[item["question_id"]]


def test_texts_told_in_another_language_are_given_again(chat: Chat, new_chat: Any, list_values: dict[str, str]) -> None:
    chat.start()
    complete(chat, ROUTES["adult-consent-with-support"], list_values)
    other = new_chat(web=chat.web)  # type: ignore[attr-defined]  # the same user, on another connection
    other.conversation_id = chat.conversation_id
    other.send("language", language="cy")
    back = chat.send("back")
    assert back["language"] == "cy"
    review = chat.answer(back["prompt"]["question_id"], _given(back["prompt"]))["review"]
    welsh = [item for section in review["sections"] for item in section["items"]]
    assert [item for item in welsh if item["question_id"] not in _ids(back["prompt"])]
    assert all("question" in item for item in welsh if item["question_id"] not in _ids(back["prompt"]))


def _ids(prompt: dict[str, Any]) -> set[str]:
    return {prompt["question_id"], *(f["field_id"] for f in prompt.get("fields") or ())}


def _given(prompt: dict[str, Any]) -> Any:
    if prompt["kind"] == "group":
        return {f["field_id"]: f["previous"] for f in prompt["fields"] if "previous" in f}
    return prompt.get("previous")


def test_a_text_that_changed_since_it_was_told_is_given_again() -> None:
    told: dict[str, Any] = {}
    remember_whole({"ok": True, "conversation_id": "c", "language": "en", "prompt": _prompt("q1", "Their age?")}, told)
    lean({"ok": True, "conversation_id": "c", "language": "en", "prompt": _prompt("q2", "Where?")}, told)
    review = {
        "sections": [
            {"title": "S", "count": "2 answers", "items": [_row("q1", "The child's age?"), _row("q2", "Where?")]}
        ],
        "weaknesses": [{"check": "too-short", "question_id": "q2", "question": "Where?", "message": "Short."}],
        "kind": "nrm",
    }
    sent = lean({"ok": True, "conversation_id": "c", "language": "en", "review": review}, told)["review"]
    assert sent["sections"][0]["items"] == [_row("q1", "The child's age?"), {"question_id": "q2", "answer": "A"}]
    assert sent["weaknesses"] == [{"check": "too-short", "question_id": "q2", "message": "Short."}]


def _prompt(question_id: str, text: str) -> dict[str, Any]:
    return {"question_id": question_id, "kind": "text", "text": text, "required": True}


def _row(question_id: str, text: str) -> dict[str, Any]:
    return {"question_id": question_id, "question": text, "answer": "A"}
