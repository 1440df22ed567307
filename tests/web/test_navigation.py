"""Back, change and re-routing, resume, version pinning, concurrency and the intake queue."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from flask import Flask

from assistant import conversations
from assistant.accounts.sessions import Standing
from assistant.engine import parse_flow
from assistant.extensions import db
from assistant.storage.models import User
from tests.conftest import Chat
from tests.engine.test_nrm_routes import SINGLING_OUT
from tests.scenarios import ROUTES, answer_for, shown_fields, synthetic_answer
from tests.web.chats import complete, given


def review_ids(turn: dict[str, Any]) -> list[str]:
    return [item["question_id"] for section in turn["review"]["sections"] for item in section["items"]]


def test_back_goes_along_the_path_taken_and_forward_again_shows_previous_answers(chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    assert chat.send("back")["prompt"]["question_id"] == "reference"
    assert chat.send("back")["error"]["code"] == "at_start"
    kept = chat.answer("reference", "CASE-002")
    assert kept["prompt"]["question_id"] == "about-your-work"


def test_changing_an_answer_reroutes_and_discards_answers_off_the_new_path(
    chat: Chat, list_values: dict[str, str]
) -> None:
    chat.start()
    review = complete(chat, ROUTES["adult-consent-with-support"], list_values)
    assert "does-pv-need-support" in review_ids(review)

    turn = chat.send("change", question_id="pv-under-age")
    assert turn["prompt"]["question_id"] == "pv-age"  # a field is changed through its group
    assert given(turn["prompt"])["pv-under-age"] == "no"
    turn = chat.answer("pv-age", {**given(turn["prompt"]), "pv-under-age": "yes"})
    # an adult's date of birth was given: the contradiction is caught at once, and "not sure" is a child
    assert turn["prompt"]["question_id"] == "conflict:date-of-birth-18-or-over"
    turn = chat.answer("conflict:date-of-birth-18-or-over", "not-sure")
    # the child's route needs new questions: they are asked, then straight back to the review
    asked, turn = finish(chat, turn, list_values)
    assert asked[0] == "child-safeguarding-first"
    assert "local-authority-contacted-about-child-local-authority-name" in asked
    assert "pv-want-to-submit-nrm" in asked  # now an explanation, not a consent question
    assert "birthplace" not in asked  # still answered: not asked again
    ids = review_ids(turn)
    assert "does-pv-need-support" not in ids
    assert "who-contact" not in ids
    receipt = chat.send("submit")["submitted"]
    assert receipt["kind"] == "nrm"


def finish(chat: Chat, turn: dict[str, Any], list_values: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """Answer what a change makes necessary, keeping each previous answer, until the review: the ids
    asked, a group's fields after it."""
    asked = []
    while "prompt" in turn:
        assert len(asked) < 200, "the change never comes back to the review"
        prompt = turn["prompt"]
        value = answer_for(prompt, {}, given(prompt), answer=lambda p: synthetic_answer(p, list_values))
        asked += [prompt["question_id"], *(shown_fields(prompt, value) if prompt["kind"] == "group" else [])]
        turn = chat.answer(prompt["question_id"], value)
        assert turn["ok"], turn
    return asked, turn


def test_withdrawing_consent_from_the_review_sends_an_anonymous_report(
    app: Flask, chat: Chat, list_values: dict[str, str]
) -> None:
    chat.start()
    complete(chat, {**ROUTES["adult-consent-with-support"], "authorities-cooperation": "no"}, list_values)
    prompt = chat.send("change", question_id="pv-want-to-submit-nrm")["prompt"]
    assert prompt["card"] == "consent"
    refusal = {**given(prompt), "pv-want-to-submit-nrm": "no", "refuse-nrm": "They do not want to be named."}
    _, review = finish(chat, chat.answer("consent", refusal), list_values)
    assert "refuse-nrm" in review_ids(review)  # asked with the consent it explains
    assert not SINGLING_OUT & set(review_ids(review))
    assert chat.send("submit")["submitted"]["kind"] == "dtn"
    [record] = json.loads(app.test_cli_runner().invoke(args=["intake", "list", "--json"]).output)
    assert record["kind"] == "dtn"
    assert not SINGLING_OUT & set(record["answers"])
    assert set(record["answer_languages"]) == set(record["answers"])


def test_a_contradiction_is_an_ordinary_choice_prompt_and_the_child_route_follows(
    app: Flask, chat: Chat, list_values: dict[str, str]
) -> None:
    chat.start()
    fixed = {**ROUTES["adult-consent-without-support"], "pv-dob": "2014-05-01"}
    turn = chat.resume()
    while turn["prompt"]["question_id"] != "pv-name":  # the group that asks the date of birth
        prompt = turn["prompt"]
        turn = chat.answer(
            prompt["question_id"], answer_for(prompt, fixed, answer=lambda p: synthetic_answer(p, list_values))
        )
    name = {"pv-name-first-name": "Sam", "pv-name-last-name": "Doe", "pv-dob": {"day": 1, "month": 5, "year": 2014}}
    turn = chat.answer("pv-name", name)
    assert turn["ok"] is True
    prompt = turn["prompt"]
    assert prompt["question_id"] == "conflict:date-of-birth-under-18"
    assert prompt["kind"] == "choice"
    assert "date of birth" in prompt["text"]
    assert prompt["options"][0]["value"] == "under-18"
    assert "previous" not in prompt
    assert chat.resume()["prompt"]["question_id"] == prompt["question_id"]  # durable
    asked, _ = finish(chat, chat.answer(prompt["question_id"], "under-18"), list_values)
    assert asked[0] == "child-safeguarding-first"
    chat.send("submit")
    [record] = json.loads(app.test_cli_runner().invoke(args=["intake", "list", "--json"]).output)
    assert record["answers"]["pv-under-age"] == "yes"
    assert not [key for key in record["answers"] if key.startswith("conflict:")]
    assert set(record["answer_languages"]) == set(record["answers"])


def test_change_refuses_a_question_off_the_path(chat: Chat) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    assert chat.send("change", question_id="pv-dob")["error"]["code"] == "not_on_path"


def test_submit_before_the_review_is_not_ready(chat: Chat) -> None:
    chat.start()
    assert chat.send("submit")["error"]["code"] == "not_ready"


def test_resume_after_submission_returns_the_receipt(chat: Chat, new_chat: Any, list_values: dict[str, str]) -> None:
    chat.start()
    complete(chat, ROUTES["child"], list_values)
    receipt = chat.send("submit")["submitted"]
    later = new_chat()
    later.conversation_id, later.resume_token = chat.conversation_id, chat.resume_token
    assert later.resume()["submitted"] == receipt


def test_concurrent_submits_yield_one_referral(app: Flask, chat: Chat, list_values: dict[str, str]) -> None:
    chat.start()
    complete(chat, ROUTES["adult-refusal-not-cooperating"], list_values)
    results: list[dict[str, Any]] = []

    def submit(msg: str) -> None:
        with app.app_context():
            user = db.session.get(User, chat.web.user.id)
            results.append(conversations.act(chat.conversation_id, "submit", {}, msg, Standing.of(user)))

    threads = [threading.Thread(target=submit, args=(f"submit-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r["submitted"]["reference"] for r in results}) == 1
    with app.app_context():
        from assistant.intake import intake_records

        assert len(intake_records()) == 1


def test_a_conversation_stays_on_the_flow_version_it_started_on(app: Flask, chat: Chat, new_chat: Any) -> None:
    chat.start()
    chat.answer("reference", "CASE-001")
    registry = app.extensions["flows"]
    old = registry.current("nrm")
    edited = old.flow.source.replace('version: "4"', 'version: "5"').replace(
        "What reference would you like to give this report?", "Your reference for this report?"
    )
    try:
        registry.add(parse_flow(edited, "nrm.yaml", registry.list_names), current=True)
        fresh = new_chat()
        assert fresh.start()["prompt"]["text"] == "Your reference for this report?"
        assert chat.send("back")["prompt"]["text"] == "What reference would you like to give this report?"
        registry._engines.pop(old.flow.digest)  # as after a restart with the edited file
        assert chat.answer("reference", "CASE-002")["prompt"]["question_id"] == "about-your-work"
    finally:
        registry.add(old.flow, current=True)


def test_intake_list_prints_the_queue_as_json(app: Flask, chat: Chat, list_values: dict[str, str]) -> None:
    chat.start()
    complete(chat, ROUTES["adult-consent-without-support"], list_values)
    receipt = chat.send("submit")["submitted"]
    result = app.test_cli_runner().invoke(args=["intake", "list", "--json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert set(record) == {
        "reference",
        "kind",
        "conversation_id",
        "flow_version",
        "language",
        "answer_languages",
        "submitted_at",
        "answers",
        "files",
    }
    assert record["files"] == []
    assert set(record["answer_languages"]) == set(record["answers"])
    assert set(record["answer_languages"].values()) == {"en"}
    assert record["reference"] == receipt["reference"]
    assert record["kind"] == "nrm"
    assert record["conversation_id"] == chat.conversation_id
    assert record["flow_version"] == "4"
    assert record["language"] == "en"
    assert record["submitted_at"].endswith("Z")
    assert record["answers"]["pv-under-age"] == "no"
    assert record["answers"]["fr-details-phone"] == "+442079460123"
    assert "pv-phone-number" not in record["answers"]


def test_flows_check_and_graph_commands(app: Flask) -> None:
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["flows", "check"])
    assert checked.exit_code == 0
    assert "flow nrm version 4" in checked.output
    graph = runner.invoke(args=["flows", "graph", "nrm"])
    assert graph.output.startswith("stateDiagram-v2\n")
    assert 'pv_age --> consent : pv-under-age == "no"' in graph.output


def test_flows_check_reports_problems_with_file_and_line(app: Flask, tmp_path: Any, monkeypatch: Any) -> None:
    (tmp_path / "broken.yaml").write_text(
        'flow: x\nversion: "1"\ntitle: X\nsections:\n  - id: a\n    title: A\n'
        "    questions:\n      - id: q\n        kind: essay\n        text: Q\n"
    )
    monkeypatch.setitem(app.config, "FLOWS_DIR", str(tmp_path))
    result = app.test_cli_runner().invoke(args=["flows", "check"])
    assert result.exit_code == 1
    assert "broken.yaml:8: question 'q': unknown kind 'essay'" in result.output


def test_a_broken_flow_stops_the_app_with_its_problems_not_a_traceback(tmp_path: Any) -> None:
    from assistant import create_app

    (tmp_path / "broken.yaml").write_text(
        'flow: x\nversion: "1"\ntitle: X\nsections:\n  - id: a\n    title: A\n'
        "    questions:\n      - id: q\n        kind: essay\n        text: Q\n"
    )
    with pytest.raises(SystemExit) as stopped:
        create_app({"FLOWS_DIR": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}, env="test")
    assert "broken.yaml:8: question 'q': unknown kind 'essay'" in str(stopped.value)
    assert str(stopped.value).endswith("\n1 problem(s) found.")
