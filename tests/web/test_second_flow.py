"""A second flow, with other question ids and its own kinds and prefixes, goes through the chat, the
form without JavaScript, "My referrals" and the statistics: nothing outside a flow's integration
block assumes the NRM flow."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from assistant.engine import FlowRegistry, load_flow
from assistant.extensions import db
from assistant.references import is_valid_reference
from assistant.storage.models import Referral
from tests.conftest import Staff
from tests.web.test_form import Browser
from tests.web.test_statistics import table

SAMPLE = Path(__file__).resolve().parents[1] / "flows" / "sample.yaml"


@pytest.fixture
def sample(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app with the sample flow beside the NRM flow, and new referrals starting on it."""
    lookups = app.extensions["lookups"]
    flows = FlowRegistry(lookups, lookups.names)
    flows.load_dir(app.config["FLOWS_DIR"])
    flows.add(load_flow(SAMPLE, flows.list_names), current=True)
    monkeypatch.setitem(app.extensions, "flows", flows)
    monkeypatch.setitem(app.config, "DEFAULT_FLOW", "sample")


def test_a_chat_on_another_flow_submits_with_its_kind_prefix_and_categories(
    app: Flask, sample: None, new_chat: Any, staff: Staff
) -> None:
    chat = new_chat("barnardos")
    turn = chat.call("start", {"flow": "sample", "language": "en"})
    chat.conversation_id, chat.resume_token = turn["conversation_id"], turn["resume_token"]
    assert turn["prompt"]["question_id"] == "own-ref"
    prompt = chat.answer("own-ref", "SYN-SAMPLE-1")["prompt"]
    assert (prompt["question_id"], prompt["previous"]) == ("employer", "barnardos")  # from the account
    answers = {
        "employer": "barnardos",
        "minor": "y",
        "nation": "cym",
        "harm": ["work", "crime"],
        "force": "avon-and-somerset",
        "consent": "no",
    }
    for question_id, value in answers.items():
        assert chat.answer(question_id, value)["ok"]
    receipt = chat.send("submit")["submitted"]
    assert receipt["kind"] == "notice"
    assert receipt["reference"].startswith("NTC-")
    assert is_valid_reference(receipt["reference"])
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.flow_id, referral.kind) == ("sample", "notice")
        assert (referral.age_group, referral.jurisdiction, referral.exploitation) == (
            "child",
            "wales",
            ["labour", "criminal"],
        )
    mine = chat.web.get("/referrals/").text
    assert receipt["reference"] in mine
    assert "SYN-SAMPLE-1" in mine  # the first responder's own reference, read by its declared question
    with app.app_context():  # to a quarter that has ended, so the tables by category count it
        referral.submitted_at = dt.datetime(2025, 2, 10, 9, tzinfo=dt.UTC)
        db.session.add(referral)
        db.session.commit()
    statistics = staff.client("analyst").get("/statistics/").text
    assert table(statistics, "age_at_exploitation")["child"] == "fewer than 5"
    assert table(statistics, "nation")["wales"] == "fewer than 5"
    assert table(statistics, "exploitation")["criminal"] == "fewer than 5"
    assert table(statistics, "quarter_kind")["2025-Q1:notice"] == "fewer than 5"


def test_the_chat_page_and_the_form_start_on_the_default_flow(app: Flask, sample: None, staff: Staff) -> None:
    client = staff.client("first-responder")
    page = client.get("/").text
    assert 'data-flow="sample"' in page  # the flow the script starts
    assert "What is your own reference for this report?" in page  # drawn by the server
    browser = Browser(client, app)
    browser.get("/form/")
    browser.post("/form/start")
    assert browser.current() == ("own-ref", "text")
    asked = []
    while "Check your answers" not in browser.html:
        asked.append(browser.current()[0])
        assert len(asked) < 20
        browser.answer({"own-ref": "SYN-FORM-1", "consent": "yes"})
        assert "There is a problem" not in browser.html, asked[-1]
    assert asked == ["own-ref", "employer", "minor", "nation", "harm", "force", "consent"]
    browser.post("/form/submit", client_msg_id="submit-1")
    assert "Duty to Notify report submitted" not in browser.html  # a kind of its own is decided like nrm
    reference = re.search(r'class="reference" dir="ltr">([A-Z0-9-]+)<', browser.html)
    assert reference
    assert reference.group(1).startswith("SMP-")


def test_a_default_flow_that_does_not_exist_stops_the_app() -> None:
    from assistant import create_app

    with pytest.raises(SystemExit) as stopped:
        create_app({"DEFAULT_FLOW": "missing", "SQLALCHEMY_DATABASE_URI": "sqlite://"}, env="test")
    assert str(stopped.value).startswith("DEFAULT_FLOW: no flow called 'missing' in ")


def test_flows_check_reports_a_default_flow_that_does_not_exist(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "DEFAULT_FLOW", "missing")
    result = app.test_cli_runner().invoke(args=["flows", "check"])
    assert result.exit_code == 1
    assert "DEFAULT_FLOW: no flow called 'missing' in " in result.output
