"""Languages: switching mid-flow, right-to-left pages, the victim's own language, locale formats."""

from __future__ import annotations

import json
import re
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
    before = chat.resume()
    welsh = chat.call("language", {"conversation_id": chat.conversation_id, "language": WELSH})
    assert welsh["ok"]
    assert welsh["language"] == WELSH
    assert welsh["prompt"]["question_id"] == before["prompt"]["question_id"] == "about-your-work"
    # each field of a group keeps its own translation
    assert welsh["prompt"]["fields"][1]["field_id"] == "fr-location"
    assert welsh["prompt"]["fields"][1]["text"] != before["prompt"]["fields"][1]["text"]
    assert welsh["transcript"][0]["answer"] == "CASE-LANG"
    assert [t["question"] for t in welsh["transcript"]] != [t["question"] for t in before["transcript"]]
    assert welsh["progress"]["title"] != english["progress"]["title"]
    after = chat.answer("about-your-work", {"user-organisation": "salvation-army", "fr-location": "wales"})
    assert after["ok"], after
    assert after["prompt"]["question_id"] == "pv-age"
    error = chat.answer("pv-age", {"pv-under-age": "maybe"})
    assert error["error"]["fields"][0]["message"] != "Select one of the answers shown"  # errors are translated too


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


def test_a_cards_own_controls_come_in_the_cards_language(chat: Chat) -> None:
    chat.start(language="en")  # the worker's language is English; the person reads Tigrinya
    controls = chat.call("card", {"card": "emergency", "language": "ti"})["card"]["controls"]
    english = chat.call("card", {"card": "emergency", "language": "en"})["card"]["controls"]
    assert english == {
        "close": "Close",
        "quick_exit": "Quick exit",
        "quick_exit_hint": "(leaves this site straight away)",
        "phone": "Phone",
        "call": "Call {number}",
    }
    assert controls.keys() == english.keys()
    for key, text in controls.items():
        assert text != english[key], key
        assert re.search("[\u1200-\u137f]", text), (key, text)  # Ethiopic script
    assert "{number}" in controls["call"]


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
    complete(chat, {**ROUTES["adult-consent-without-support"], "pv-dob": "2001-07-03"}, list_values)
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


def test_only_pages_in_a_script_a_phone_may_lack_link_its_font(staff: Any) -> None:
    client = staff.client("first-responder")
    link = '<link rel="stylesheet" href="/static/fonts/ethiopic.css">'
    for language in ("am", "ti"):
        assert link in client.get(f"/?lang={language}").text, language
        assert link in client.get(f"/form/?lang={language}").text, language
        assert link in client.get(f"/referrals/?lang={language}").text, language
    for language in ("en", ARABIC, "cy"):
        assert "/static/fonts/" not in client.get(f"/?lang={language}").text, language
        assert "/static/fonts/" not in client.get(f"/referrals/?lang={language}").text, language
    font = client.get(link.split('"')[3])
    assert "@font-face" in font.text
    font.close()


def test_a_card_names_the_font_its_script_needs(chat: Chat) -> None:
    chat.start(language="en")
    assert chat.call("card", {"card": "consent", "language": "ti"})["card"]["font"] == "/static/fonts/ethiopic.css"
    assert chat.call("card", {"card": "consent", "language": ARABIC})["card"]["font"] is None


def test_the_draft_notice_follows_each_sections_own_status(
    app: Flask, staff: Any, new_chat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = {"cards": "reviewed", "flow": "draft", "interface": "draft", "staff": "complete"}
    monkeypatch.setitem(app.extensions["languages"], ARABIC, describe(ARABIC, draft=True, review=review))
    client = staff.client("first-responder")
    assert 'class="draft-notice"' in client.get(f"/?lang={ARABIC}").text  # the flow is a draft
    assert 'class="draft-notice"' not in client.get(f"/referrals/?lang={ARABIC}").text  # the staff pages are not
    chat = new_chat()
    chat.start(language="en")
    card = chat.call("card", {"card": "consent", "language": ARABIC})["card"]
    assert card["draft"] is False
    assert "draft_notice" not in card


def test_pages_without_scripts_offer_the_language_switcher_keeping_their_query(staff: Any) -> None:
    client = staff.client("caseworker", "single-competent-authority")
    page = client.get("/casework/?lang=cy&status=awaiting-rg").text
    assert '<select class="lang-select" id="page-language" name="lang"' in page
    assert '<input type="hidden" name="status" value="awaiting-rg">' in page  # the filter survives the switch
    assert '<option value="cy" lang="cy" dir="ltr" selected>Cymraeg</option>' in page
    assert "Newid iaith" in page  # its button, in the page's language
    worker = staff.client("first-responder")
    assert 'id="page-language"' in worker.get("/form/?lang=ar").text
    assert 'id="page-language"' in worker.get("/referrals/").text


def test_the_language_switch_on_a_page_shown_after_a_post_goes_to_a_page_that_answers_get(staff: Any) -> None:
    """A page shown for a refused POST (an error) has a URL only POST answers: its switcher goes to the
    nearest page that answers GET, so choosing a language shows the same question again."""
    worker = staff.client("first-responder")
    worker.post("/form/start", data={"csrf_token": csrf(worker.get("/form/").text)})
    page = worker.get("/form/question").text
    refused = worker.post(
        "/form/answer",
        data={"csrf_token": csrf(page), "question_id": "reference", "kind": "text", "value": "x" * 15001},
    )
    assert "There is a problem" in refused.text
    action = re.search(r'<form class="lang-switch" method="get" action="([^"]*)"', refused.text).group(1)
    assert action == "/form/"
    switched = worker.get(f"{action}?lang=cy", follow_redirects=True)
    assert switched.status_code == 200
    assert 'name="question_id" value="reference"' in switched.text
    assert '<option value="cy" lang="cy" dir="ltr" selected>Cymraeg</option>' in switched.text
    admin = staff.client("admin")
    typed = admin.post("/admin/users/new", data={"csrf_token": csrf(admin.get("/admin/users/new").text)})
    assert '<form class="lang-switch" method="get" action="">' in typed.text  # the same URL answers GET
    caseworker = staff.client("caseworker", "single-competent-authority")
    refused = caseworker.post(
        "/casework/referrals/NRM-NONE/decide", data={"csrf_token": csrf(caseworker.get("/casework/").text)}
    )
    if 'class="lang-switch"' in refused.text:
        assert 'action="/casework/referrals/NRM-NONE"' in refused.text


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)
