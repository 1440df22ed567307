"""The chat page opens the referral in its own request: the first answer needs no `start` (docs/protocol.md)."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from assistant.extensions import db
from assistant.storage.models import Conversation


def first_prompt(web: Any, path: str = "/") -> dict[str, Any]:
    page = web.get(path).get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="first-prompt">(.*?)</script>', page, re.S)
    assert found, "the page carries no first prompt"
    return dict(json.loads(found.group(1)))


def drafts(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Conversation)) or 0)


def test_the_page_carries_a_referral_opened_at_its_first_question(app: Flask, new_chat: Any) -> None:
    chat = new_chat()
    first = first_prompt(chat.web)
    assert first["prompt"]["question_id"] == "reference"
    assert first["progress"] == {"section": 1, "sections": 14, "title": "About this report"}
    chat.conversation_id, chat.resume_token = first["conversation_id"], first["resume_token"]
    resumed = chat.resume()
    assert resumed["ok"]
    assert resumed["prompt"] == first["prompt"]
    assert resumed["transcript"] == []


def test_the_first_answer_goes_straight_to_the_pages_referral_without_start(new_chat: Any) -> None:
    chat = new_chat()
    first = first_prompt(chat.web)
    chat.conversation_id = first["conversation_id"]
    turn = chat.answer("reference", "SYN-PAGE-0001")
    assert turn["ok"], turn
    assert turn["conversation_id"] == first["conversation_id"]
    assert turn["prompt"]["question_id"] == "about-your-work"
    organisation = next(f for f in turn["prompt"]["fields"] if f["field_id"] == "user-organisation")
    assert organisation["previous"] == "salvation-army"  # what the account says, as with `start`


def test_reloads_hand_out_the_same_unused_referral_until_it_is_answered(app: Flask, new_chat: Any) -> None:
    chat = new_chat()
    before = drafts(app)
    first = first_prompt(chat.web)
    assert first_prompt(chat.web)["conversation_id"] == first["conversation_id"]
    assert drafts(app) == before + 1
    chat.conversation_id = first["conversation_id"]
    assert chat.answer("reference", "SYN-PAGE-0002")["ok"]
    assert first_prompt(chat.web)["conversation_id"] != first["conversation_id"]
    assert drafts(app) == before + 2


def test_an_unused_referral_is_never_handed_to_someone_else(new_chat: Any) -> None:
    mine = first_prompt(new_chat().web)["conversation_id"]
    colleague = first_prompt(new_chat().web)["conversation_id"]  # another account, the same organisation
    assert colleague != mine


def test_another_language_gets_a_referral_of_its_own(new_chat: Any) -> None:
    web = new_chat().web
    english = first_prompt(web)
    welsh = first_prompt(web, "/?lang=cy")
    assert welsh["conversation_id"] != english["conversation_id"]
    assert welsh["prompt"]["text"] != english["prompt"]["text"]
