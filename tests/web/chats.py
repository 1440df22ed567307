"""Referrals completed through the chat with synthetic answers, for the tests of the pages that read them."""

from __future__ import annotations

from typing import Any

from tests.scenarios import run, synthetic_answer


def complete(chat: Any, fixed: dict[str, Any], lists: dict[str, str]) -> dict[str, Any]:
    """Answer every question from the current prompt on; return the last turn (the review)."""
    last = chat.resume()

    def step(question_id: str, value: Any) -> dict[str, Any] | None:
        nonlocal last
        last = chat.answer(question_id, value)
        assert last["ok"], last
        return last.get("prompt")

    run(step, last["prompt"], fixed, answer=lambda prompt: synthetic_answer(prompt, lists))
    return last


def submitted(chat: Any, fixed: dict[str, Any], lists: dict[str, str]) -> str:
    """A new referral of ``chat``'s first responder, completed and submitted: its reference."""
    chat.start()
    complete(chat, fixed, lists)
    return str(chat.send("submit")["submitted"]["reference"])


def given(prompt: dict[str, Any]) -> Any:
    """The answer a prompt already holds: its `previous`, or for a group each field's."""
    if prompt["kind"] == "group":
        return {f["field_id"]: f["previous"] for f in prompt["fields"] if "previous" in f}
    return prompt.get("previous")
