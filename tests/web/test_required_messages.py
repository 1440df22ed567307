"""A required question left empty says what is missing, in the flow's words (docs/flows.md)."""

from __future__ import annotations

from tests.conftest import Chat


def test_a_required_answer_left_empty_says_what_is_missing(chat: Chat) -> None:
    chat.start()
    turn = chat.answer("reference", " ")
    assert turn["error"] == {
        "code": "invalid",
        "message": "Enter a reference for this report",
        "question_id": "reference",
    }
