"""The review lists what would make the referral stronger (docs/protocol.md, "Review"), never blocking it."""

from __future__ import annotations

from typing import Any

from tests.conftest import Chat
from tests.scenarios import ROUTES
from tests.web.chats import complete

ACCOUNT = "In 2019 a man at the bus station offered her work in a kitchen, and after that he took her to a house."
PASTED = "They kept her passport and said she owed them a debt for the journey and the room."
STRONG_REASON = "I believe she was trafficked because I saw the marks on her arms and her account was consistent."


def review(chat: Chat, route: str, fixed: dict[str, Any], list_values: dict[str, str]) -> dict[str, Any]:
    chat.start()
    turn = complete(chat, {**ROUTES[route], **fixed}, list_values)
    assert "review" in turn, turn
    return chat.resume()["review"]  # whole: the texts this connection was given are left out of the lean one


def test_the_review_lists_each_weakness_with_the_answer_to_change(chat: Chat, list_values: dict[str, str]) -> None:
    fixed = {
        "potential-victim-exploitative-situation-multiple": "no",
        "how-did-the-exploitation-start": ACCOUNT,
        "what-were-they-required-to-do": PASTED,
        "how-they-were-treated": PASTED,
        "modern-slavery-indicators": "no",
        "professional-insight": "The housing officer asked for a referral to be made for her.",
    }
    found = review(chat, "adult-consent-without-support", fixed, list_values)["weaknesses"]
    pairs = {(w["check"], w["question_id"]) for w in found}
    assert ("repeated", "how-they-were-treated") in pairs
    assert ("indicators-contradicted", "modern-slavery-indicators") in pairs
    assert ("no-own-reasoning", "professional-insight") in pairs
    assert ("too-short", "how-did-the-exploitation-start") not in pairs
    assert ("no-timeline", "when-did-the-exploitation-take-place") not in pairs
    contradicted = next(w for w in found if w["check"] == "indicators-contradicted")
    assert "passport, debt, owe" in contradicted["message"]
    assert contradicted["question"] == "Have you noticed any signs of modern slavery?"
    assert chat.send("submit")["submitted"]["kind"] == "nrm"  # weaknesses never block sending


def test_a_strong_account_has_no_weaknesses_and_a_report_says_what_it_is(
    chat: Chat, list_values: dict[str, str]
) -> None:
    long_answer = "In the spring of 2019 she worked twelve hours a day in a kitchen for no pay at all, {}."
    fixed = {
        "potential-victim-exploitative-situation-multiple": "no",
        "how-did-the-exploitation-start": long_answer.format("after a man offered her a job"),
        "what-were-they-required-to-do": long_answer.format("cleaning and cooking for the family"),
        "how-they-were-treated": long_answer.format("and they shouted at her every day"),
        "modern-slavery-indicators": "yes",
        "professional-insight": STRONG_REASON,
    }
    found = review(chat, "adult-refusal-cooperating", fixed, list_values)
    assert found["kind"] == "dtn"
    questions = [item["question"] for section in found["sections"] for item in section["items"]]
    assert not [q for q in questions if "should this person be referred" in q]
    first = found["sections"][0]
    assert first["count"] == f"{len(first['items'])} answers"
    assert [w for w in found["weaknesses"] if w["question_id"] in fixed] == []
