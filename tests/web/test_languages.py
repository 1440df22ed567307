"""Languages: switching mid-flow, right-to-left pages, the victim's own language, locale formats."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from assistant.i18n import describe
from tests.conftest import Chat
from tests.scenarios import ROUTES
from tests.web.chats import complete

WELSH, ARABIC = "cy", "ar"


@pytest.fixture(autouse=True)
def _offered(app: Flask) -> None:
    offered = app.extensions["languages"]
    if not {WELSH, ARABIC} <= set(offered):
        pytest.fail(f"the Welsh and Arabic catalogues must be enabled; offered: {sorted(offered)}")


def test_switching_language_mid_flow_keeps_every_answer(chat: Chat) -> None:
    english = chat.start()
    chat.answer("reference", "CASE-LANG")
    chat.answer("user-organisation", "salvation-army")
    before = chat.resume()
    welsh = chat.call("language", {"conversation_id": chat.conversation_id, "language": WELSH})
    assert welsh["ok"]
    assert welsh["language"] == WELSH
    assert welsh["prompt"]["question_id"] == before["prompt"]["question_id"] == "fr-location"
    assert welsh["prompt"]["text"] != before["prompt"]["text"]
    assert welsh["transcript"][0]["answer"] == "CASE-LANG"
    assert [t["question"] for t in welsh["transcript"]] != [t["question"] for t in before["transcript"]]
    assert welsh["progress"]["title"] != english["progress"]["title"]
    after = chat.answer("fr-location", "wales")
    assert after["ok"]
    assert after["prompt"]["question_id"] == "pv-under-age"
    error = chat.answer("pv-under-age", "maybe")
    assert error["error"]["message"] != "Select one of the answers shown"  # errors are translated too


def test_each_answer_records_its_language(app: Flask, chat: Chat, list_values: dict[str, str]) -> None:
    chat.start()
    chat.answer("reference", "CASE-LANG-2")
    chat.call("language", {"conversation_id": chat.conversation_id, "language": ARABIC})
    complete(chat, ROUTES["child"], list_values)
    chat.send("submit")
    result = app.test_cli_runner().invoke(args=["intake", "list", "--json"])
    [record] = json.loads(result.output)
    assert record["language"] == ARABIC
    assert record["answer_languages"]["reference"] == "en"
    assert record["answer_languages"]["pv-under-age"] == ARABIC


def test_an_unoffered_language_is_refused(chat: Chat) -> None:
    chat.start()
    turn = chat.call("language", {"conversation_id": chat.conversation_id, "language": "xx"})
    assert turn["error"]["code"] == "unsupported_language"


def test_right_to_left_pages_carry_dir_rtl(staff: Any) -> None:
    client = staff.client("first-responder")
    arabic = client.get(f"/?lang={ARABIC}").text
    assert f'<html lang="{ARABIC}" dir="rtl">' in arabic
    assert 'class="draft-notice"' in arabic  # a machine-assisted draft says so
    assert '<html lang="en" dir="ltr">' in client.get("/").text
    assert 'dir="rtl"' in client.get(f"/form/?lang={ARABIC}").text


def test_the_victims_cards_come_in_their_language_not_the_workers(chat: Chat) -> None:
    chat.start(language="en")
    card = chat.call("card", {"card": "consent", "language": ARABIC})["card"]
    english = chat.call("card", {"card": "consent", "language": "en"})["card"]
    assert card["dir"] == "rtl"
    assert card["language"] == ARABIC
    assert card["draft"] is True
    assert card["draft_notice"].startswith("ترجمة")  # the notice too is in the person's language
    assert "draft_notice" not in english
    assert card["title"] != english["title"]
    assert len(card["paragraphs"]) == len(english["paragraphs"])
    emergency = chat.call("card", {"card": "emergency", "language": ARABIC})["card"]
    assert {c["phone"] for c in emergency["contacts"]} >= {"999", "0800 808 3733"}
    assert chat.call("card", {"card": "nope", "language": "en"})["error"]["code"] == "not_found"


def test_languages_are_listed_with_their_own_names_and_direction(chat: Chat) -> None:
    listed = {lang["code"]: lang for lang in chat.call("languages", {})["languages"]}
    assert listed["en"] == {"code": "en", "name": "English", "english_name": "English", "dir": "ltr", "draft": False}
    assert listed[ARABIC]["dir"] == "rtl"
    assert listed[ARABIC]["name"] == "العربية"


def test_dari_is_named_as_its_speakers_name_it() -> None:
    dari = describe("fa_AF", draft=True)
    assert (dari.name, dari.english_name, dari.direction) == ("دری", "Dari", "rtl")


def test_the_two_kurdish_languages_and_bengali_are_named_as_people_look_for_them() -> None:
    kurmanji, sorani, bengali = (describe(code, draft=True) for code in ("ku", "ckb", "bn"))
    assert (kurmanji.name, kurmanji.english_name, kurmanji.direction) == (
        "Kurdî (Kurmancî)",
        "Kurdish (Kurmanji)",
        "ltr",
    )
    assert (sorani.english_name, sorani.direction) == ("Kurdish (Sorani)", "rtl")
    assert (bengali.name, bengali.english_name) == ("বাংলা", "Bengali")


def test_dates_are_formatted_for_the_locale(chat: Chat, list_values: dict[str, Any]) -> None:
    chat.start()
    complete(chat, {**ROUTES["child"], "pv-dob": "2001-07-03"}, list_values)
    english = chat.resume()
    welsh = chat.call("language", {"conversation_id": chat.conversation_id, "language": WELSH})
    answer = {i["question_id"]: i["answer"] for s in welsh["review"]["sections"] for i in s["items"]}["pv-dob"]
    assert {i["question_id"]: i["answer"] for s in english["review"]["sections"] for i in s["items"]}[
        "pv-dob"
    ] == "3 July 2001"
    assert answer == "3 Gorffennaf 2001"


def test_errors_about_the_message_come_in_the_conversations_language(chat: Chat) -> None:
    english = chat.call("start", "not an object")["error"]["message"]
    chat.start(language=WELSH)
    welsh = chat.call("answer", {"conversation_id": chat.conversation_id})["error"]
    assert welsh["code"] == "bad_request"
    assert welsh["message"] != english
