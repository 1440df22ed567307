"""Lean turns (docs/protocol.md, "Lean turns"): what one connection has been told, and a turn without it.

``told`` is the connection's own memory (its Socket.IO session): the language of its last turn that
carried one, the conversation its last turn was about, the section whose title it last received, and
the last text of each question and field it received for that conversation in that language (a text
can change with later answers: a question's variant, so the text is compared, not only the id).
Stored acknowledgements stay whole: a resent event's is made lean against its own connection.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

Told = MutableMapping[str, Any]


def remember_whole(ack: dict[str, Any], told: Told) -> dict[str, Any]:
    """A whole turn (start, resume, language, and the first after connecting): record what it told."""
    if ack.get("language"):
        told["language"] = ack["language"]
    conversation = ack.get("conversation_id")
    if conversation:
        told["conversation"] = conversation
        _told_section(ack, told)
        texts = _texts(told, conversation, ack.get("language") or told.get("language"), fresh=True)
        _record_texts(ack, texts)
    return ack


def lean(ack: dict[str, Any], told: Told) -> dict[str, Any]:
    """``ack`` without the language, conversation id, section title and question texts this connection
    already holds; records what it tells."""
    if "conversation" not in told:  # the first turn after connecting is whole
        return remember_whole(ack, told)
    lean = dict(ack)
    conversation = ack.get("conversation_id")
    language = ack.get("language") or told.get("language")
    if lean.get("language") is not None and lean["language"] == told.get("language"):
        del lean["language"]
    elif lean.get("language"):
        told["language"] = lean["language"]
    if conversation and conversation == told.get("conversation"):
        del lean["conversation_id"]
    elif conversation:
        told["conversation"] = conversation
    progress = lean.get("progress")
    # the title too: the review has the last section's number under its own title
    if progress and told.get("section") == [conversation, progress["section"], progress.get("title")]:
        lean["progress"] = {"section": progress["section"]}
    else:
        _told_section(ack, told)
    if conversation:
        texts = _texts(told, conversation, language)
        if "review" in lean:
            lean["review"] = _lean_review(lean["review"], texts)
        _record_texts(lean, texts)
    return lean


def _told_section(ack: dict[str, Any], told: Told) -> None:
    progress = ack.get("progress")
    if ack.get("conversation_id") and progress and "title" in progress:
        told["section"] = [ack["conversation_id"], progress["section"], progress["title"]]


def _texts(told: Told, conversation: str, language: str | None, fresh: bool = False) -> dict[str, str]:
    """The texts this connection holds for ``conversation`` in ``language``, by question or field id
    (none when either changed: texts in another language, or of another flow version, are not the same)."""
    key = [conversation, language]
    if fresh or told.get("texts_of") != key:
        told["texts_of"], told["texts"] = key, {}
    texts: dict[str, str] = told["texts"]
    return texts


def _record_texts(ack: dict[str, Any], texts: dict[str, str]) -> None:
    prompt = ack.get("prompt")
    if prompt and not prompt["question_id"].startswith("conflict:"):  # never a row of the review
        texts[prompt["question_id"]] = prompt["text"]
        texts.update((field["field_id"], field["text"]) for field in prompt.get("fields") or ())
    texts.update((entry["question_id"], entry["question"]) for entry in ack.get("transcript") or ())
    for section in (ack.get("review") or {}).get("sections") or ():
        texts.update((item["question_id"], item["question"]) for item in section["items"] if "question" in item)


def _lean_review(review: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """The review's rows and weaknesses without the question texts already told, word for word."""

    def bare(item: dict[str, Any]) -> dict[str, Any]:
        if texts.get(item["question_id"]) != item["question"]:
            return item
        return {k: v for k, v in item.items() if k != "question"}

    return {
        **review,
        "sections": [{**section, "items": [bare(item) for item in section["items"]]} for section in review["sections"]],
        "weaknesses": [bare(weakness) for weakness in review.get("weaknesses") or ()],
    }
