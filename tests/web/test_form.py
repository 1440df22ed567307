"""The referral without JavaScript: one question per page, same engine, same rules."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assistant.intake import intake_records
from tests.scenarios import ROUTES


@pytest.fixture
def client(staff: Any) -> FlaskClient:
    """The form is for signed-in first responders."""
    return staff.client("first-responder")


def field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def options(html: str, name: str = "value") -> list[str]:
    return re.findall(rf'class="check-input" type="(?:radio|checkbox)" name="{name}" value="([^"]*)"', html)


# The group that asks for the worker's organisation and part of the UK, as its page posts it.
ORGANISATION = {
    "question_id": "about-your-work",
    "kind": "group",
    "field": ["user-organisation:lookup", "fr-location:choice"],
    "user-organisation:list": "organisations",
}


class Browser:
    """A scripts-off browser: follows redirects, posts forms with their CSRF token."""

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self.client, self.app = client, app
        self.html = ""
        self.given: dict[str, list[str]] = {}

    def get(self, url: str) -> str:
        self.html = self.client.get(url, follow_redirects=True).text
        return self.html

    def post(self, url: str, **data: Any) -> str:
        data.setdefault("csrf_token", field(self.html, "csrf_token"))
        self.html = self.client.post(url, data=data, follow_redirects=True).text
        return self.html

    def current(self) -> tuple[str, str]:
        return field(self.html, "question_id"), field(self.html, "kind")

    def answer(self, fixed: dict[str, Any]) -> None:
        qid, kind = self.current()
        data: dict[str, Any] = {"question_id": qid, "kind": kind, "client_msg_id": field(self.html, "client_msg_id")}
        if kind == "group":  # every field on the page, each named "<field id>:<part>"
            entries = re.findall(r'name="field" value="([^"]*)"', self.html)
            data["field"] = entries
            for entry in entries:
                fid, _, field_kind = entry.partition(":")
                data.update({f"{fid}:{k}": v for k, v in self.values(fid, field_kind, fixed, fid + ":").items()})
            self.post("/form/answer", **data)
            return
        data.update(self.values(qid, kind, fixed))
        self.post("/form/answer", **data)

    def values(self, qid: str, kind: str, fixed: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        """A question's (or a group field's) inputs, named as the page names them."""
        data: dict[str, Any] = {}
        if qid in fixed and isinstance(fixed[qid], dict):  # a date's day, month and year
            data.update(fixed[qid])
        elif qid in fixed and kind == "date":  # a date answer, "YYYY-MM-DD", typed in its three boxes
            year, month, day = str(fixed[qid]).split("-")
            data.update(day=day, month=month, year=year)
        elif qid in fixed:
            data["value"] = fixed[qid]
        elif kind in ("choice", "select"):
            data["value"] = options(self.html, prefix + "value")[0]
        elif kind == "multichoice":
            data["value"] = [options(self.html, prefix + "value")[0]]
        elif kind == "date":
            data.update(day="27", month="3", year="1990")
        elif kind in ("lookup", "lookup-repeat"):
            data["list"] = field(self.html, prefix + "list")
            with self.app.app_context():
                entries = self.app.extensions["lookups"].entries(data["list"], "en")
            # a list asked twice (a second nationality) gets another entry: the same one may be refused
            given = self.given.setdefault(data["list"], [])
            first = next(e for e in entries if e.label not in given)
            given.append(first.label)
            data["value_text"] = first.label
        elif kind != "info":
            data["value"] = {
                "email": "worker@example.org",
                "phone": "020 7946 0123",
                "postcode": "SW1A 2AA",
                "number": "2",
            }.get(kind, "Synthetic answer")
        return data


def test_a_duty_to_notify_report_without_javascript(app: Flask, client: FlaskClient) -> None:
    browser = Browser(client, app)
    browser.get("/form/")
    browser.post("/form/start")
    assert browser.current() == ("reference", "text")
    asked = []
    while "Check your answers" not in browser.html:
        asked.append(browser.current()[0])
        assert len(asked) < 200
        browser.answer(ROUTES["adult-refusal-not-cooperating"])
        assert "There is a problem" not in browser.html, asked[-1]
    assert "pv-name-first-name" not in asked
    # a report is sent, as its button says, not submitted
    assert re.search(r'<h1 class="page-title">([^<]*)</h1>', browser.html).group(1) == (
        "Check your answers before you send the report"
    )
    assert "<title>Check your answers before you send the report \N{EN DASH}" in browser.html
    assert "before you submit" not in browser.html
    # each weak answer is named by its question (several share one message)
    named = re.findall(r'<span class="weakness-question" dir="auto">([^<]+)</span>', browser.html)
    assert named, "no weakness names its question"
    browser.post("/form/submit", client_msg_id="submit-1")
    assert "Duty to Notify report submitted" in browser.html
    reference = re.search(r'class="reference" dir="ltr">([A-Z0-9-]+)<', browser.html).group(1)
    assert '<a class="button secondary" href="/referrals/">My referrals</a>' in browser.html  # to see what was sent
    with app.app_context():
        [record] = intake_records()
    assert record["reference"] == reference
    assert record["kind"] == "dtn"


def test_a_contradiction_without_javascript_is_a_question_page_like_any_other(app: Flask, client: FlaskClient) -> None:
    browser = Browser(client, app)
    browser.get("/form/")
    browser.post("/form/start")
    while browser.current()[0] != "pv-name":  # the group that asks the date of birth
        browser.answer(ROUTES["adult-consent-without-support"])
    browser.answer({"pv-dob": {"day": "1", "month": "5", "year": "2014"}})
    assert browser.current() == ("conflict:date-of-birth-under-18", "choice")
    assert "This date of birth means they are under 18 today" in browser.html
    assert options(browser.html)[0] == "under-18"
    browser.answer({"conflict:date-of-birth-under-18": "under-18"})
    assert browser.current()[0] == "child-safeguarding-first"


def test_errors_back_and_change_work_as_in_the_chat(app: Flask, client: FlaskClient) -> None:
    browser = Browser(client, app)
    browser.get("/form/")
    browser.post("/form/start")
    browser.post("/form/answer", question_id="reference", kind="text", value="x" * 15001, client_msg_id="a")
    assert "There is a problem" in browser.html
    assert "Enter 15000 characters or fewer" in browser.html
    assert ">" + "x" * 15001 + "<" not in browser.html  # a text input keeps the value in an attribute
    assert 'value="' + "x" * 15001 + '"' in browser.html  # what was typed is not lost
    browser.post("/form/answer", question_id="reference", kind="text", value="CASE-FORM", client_msg_id="b")
    assert browser.current()[0] == "about-your-work"
    browser.post("/form/answer", **ORGANISATION, **{"user-organisation:value_text": "police"}, client_msg_id="c")
    assert "Choose the organisation you work for from the list" not in browser.html  # something was typed
    assert "Choose an answer from the list" in browser.html
    assert "Select the part of the UK you are working in" in browser.html  # each field's own error
    assert len(options(browser.html, "user-organisation:value")) == 20  # the matches, to choose from
    browser.post("/form/back")
    assert browser.current()[0] == "reference"
    assert 'value="CASE-FORM"' in browser.html
    browser.answer({})
    assert browser.current()[0] == "about-your-work"


def test_state_changes_need_the_csrf_token(client: FlaskClient) -> None:
    assert client.post("/form/start").status_code == 400
    assert client.post("/form/answer", data={"question_id": "reference", "value": "x"}).status_code == 400


def test_a_near_miss_is_offered_not_taken(app: Flask, client: FlaskClient) -> None:
    """Typed text one letter away from a single entry may mean a place not on the list: the form
    offers the entry to choose rather than answering with it."""
    browser = Browser(client, app)
    browser.get("/form/")
    browser.post("/form/start")
    browser.answer({})
    assert browser.current()[0] == "about-your-work"
    browser.post("/form/answer", **ORGANISATION, **{"user-organisation:value_text": "Bawsa"}, client_msg_id="c")
    assert browser.current()[0] == "about-your-work"
    assert "Choose an answer from the list" in browser.html
    assert options(browser.html, "user-organisation:value") == ["bawso"]


@pytest.mark.parametrize(
    ("typed", "taken"),
    [
        ("United Kingdom", "GB"),  # the label
        ("UK", "GB"),  # another name, whole: taken although "Ukraine" starts with it too
        ("british", "GB"),  # what its people are called
        ("Dominican", "Dominican"),  # two nationalities' word: left for the worker to choose
        ("Alban", "AL"),  # the only match
    ],
)
def test_a_whole_other_name_is_taken_like_the_label(app: Flask, typed: str, taken: str) -> None:
    from assistant.web.form import _resolve

    with app.test_request_context("/form/answer"):
        assert _resolve("nationalities", typed, None) == taken
