"""The chat page in a phone-sized Chromium: whole referrals through the UI, a flaky network, and what the
browser keeps. Every value typed is synthetic (tests/scenarios.py)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import socketio
import yaml
from playwright.sync_api import Locator, Page, expect

from assistant.lookups import Lookups
from assistant.references import is_valid_reference
from tests.browser.conftest import LiveServer, socket_headers
from tests.conftest import first_list_values
from tests.e2e.conftest import flask_cli
from tests.scenarios import ROUTES, synthetic_answer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
QUESTIONS: dict[str, dict[str, Any]] = {  # questions and the fields of grouped questions, by id
    item["id"]: item
    for s in yaml.safe_load((ROOT / "flows" / "nrm.yaml").read_text())["sections"]
    for q in s["questions"]
    for item in [q, *q.get("fields", [])]
}
LIST_VALUES = first_list_values()
LOOKUPS = Lookups(ROOT / "flows" / "lists")
STATUS = {
    "connected": "Connected",
    "offline": "Offline. Your answers are kept and will be sent when you are back online",
    "reconnecting": "Reconnecting… your answers are kept and will be sent",
}


def shot(page: Page, name: str) -> None:
    """A phone-viewport screenshot for the docs (not full-page: what a phone shows), replaced atomically.

    Only with SCREENSHOTS=1 (`make screenshots`), so that a test run leaves the work tree clean.
    """
    if os.environ.get("SCREENSHOTS") != "1":
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    partial = SHOTS / name.replace(".png", ".tmp.png")  # ignored by git until it is complete
    page.screenshot(path=partial, animations="disabled", caret="hide")
    os.replace(partial, SHOTS / name)


def option_label(question_id: str, value: str) -> str:
    options = QUESTIONS[question_id].get("options") or []
    return next(str(o["label"]) for o in options if str(o["value"]) == value)


class Chat:
    """Drives the chat page as a user would: reads the question from the DOM, answers it with its widget."""

    def __init__(self, page: Page, fixed: Mapping[str, Any] | None = None) -> None:
        self.page = page
        self.fixed: dict[str, Any] = dict(fixed or {})
        self.asked: list[str] = []
        self.on_matches: Callable[[str], None] | None = None  # called while a type-ahead shows its matches

    # ---- where we are ----
    @property
    def form(self) -> Locator:
        return self.page.locator("#turn form.question")

    def screen(self) -> str:
        """ "question", "review" or "receipt", once one of them is on screen."""
        any_screen = self.page.locator("#turn form.question, #turn .review, #turn .panel")
        expect(any_screen.first).to_be_visible()
        cls = any_screen.first.get_attribute("class") or ""
        return "question" if "question" in cls else "review" if "review" in cls else "receipt"

    def question(self) -> str:
        expect(self.form).to_be_visible()
        return str(self.form.get_attribute("data-question"))

    def transcript(self) -> list[str]:
        return self.page.locator("#transcript > li").all_inner_texts()

    # ---- answering ----
    def value_for(self, question_id: str, kind: str) -> Any:
        if question_id in self.fixed:
            return self.fixed[question_id]
        q = QUESTIONS[question_id]
        return synthetic_answer(
            {
                "kind": kind,
                "options": q.get("options"),
                "lookup": q.get("lookup"),
                "repeat": q.get("repeat"),
                "required": q.get("required", True),
            },
            LIST_VALUES,
        )

    def fill(self, question_id: str | None = None, value: Any = None) -> str:
        """Put the answer into the widget (without sending it); returns the question answered."""
        form, qid = self.form, self.question()
        assert question_id in (None, qid), f"expected {question_id}, on {qid}"
        kind = str(form.get_attribute("data-kind"))
        value = self.value_for(qid, kind) if value is None else value
        if kind in ("info", "upload") or value is None:  # nothing to give (files: tests/browser/test_uploads.py)
            return qid
        if kind == "group":
            self._group(form, qid)
            return qid
        if form.locator(".replies").count():
            form.locator(".replies").get_by_text(option_label(qid, value), exact=True).click()
        elif form.locator(".checks").count():
            for v in value:
                form.get_by_label(option_label(qid, v), exact=True).check()
        elif form.locator("input[role=combobox]").count():
            self._lookup(form, qid, value)
        elif form.locator("select#answer").count():
            form.locator("select#answer").select_option(value)
        elif kind == "date":
            day, month, year = (
                (value["day"], value["month"], value["year"])
                if isinstance(value, dict)
                else (value[8:], value[5:7], value[:4])
            )
            for part, text in (("day", day), ("month", month), ("year", year)):
                form.locator(f"#answer-{part}").fill(str(text))
        else:
            form.locator("#answer").fill(str(value))
        return qid

    def _group(self, form: Locator, qid: str) -> None:
        """Fill each field of a grouped question that is shown, in order (a choice may show the next)."""
        for spec in QUESTIONS[qid]["fields"]:
            fid, kind = spec["id"], spec["kind"]
            field = form.locator(f'.field[data-field="{fid}"]')
            if not field.count() or not field.is_visible() or not field.locator("input, textarea").count():
                continue  # not asked, or an explanation (a variant may make a choice one)
            value = self.value_for(fid, kind)
            if kind in ("choice", "multichoice") or (kind == "select" and spec.get("options")):
                for v in value if isinstance(value, list) else [value]:
                    field.locator(f'input[value="{v}"]').check()  # by value: the labels may be translated
            elif kind == "select":
                self._lookup(field, fid, value, f"#f-{fid}-list")
            elif kind == "date":
                day, month, year = (
                    (value["day"], value["month"], value["year"])
                    if isinstance(value, dict)
                    else (value[8:], value[5:7], value[:4])
                )
                for suffix, text in (("", day), ("-month", month), ("-year", year)):
                    field.locator(f"#f-{fid}{suffix}").fill(str(text))
            else:
                field.locator(f"#f-{fid}").fill(str(value))

    def _lookup(self, form: Locator, qid: str, value: Any, listbox: str = "#q-list") -> None:
        lookup = str(QUESTIONS[qid]["lookup"])
        for v in [value] if isinstance(value, str) else value:
            label = LOOKUPS.label(lookup, v, "en")
            if form.locator(".chip-label", has_text=label).count():
                continue  # kept from an earlier answer
            box = form.locator("input[role=combobox]")
            box.fill("")
            box.press_sequentially(label[:4])
            match = form.locator(f"{listbox} [role=option]").filter(has_text=re.compile(f"^{re.escape(label)}$"))
            expect(match).to_be_visible()
            expect(box).to_have_attribute("aria-expanded", "true")
            if self.on_matches:
                self.on_matches(qid)
            match.click()
            if QUESTIONS[qid].get("repeat"):
                expect(form.locator(".chip-label").filter(has_text=label)).to_be_visible()
            else:
                expect(box).to_have_value(label)

    def send(self) -> None:
        """Press Continue on the current question."""
        self.form.locator("button[type=submit]").click()

    def answer(self, question_id: str | None = None, value: Any = None, keep: bool = False) -> str:
        """Answer the current question (or keep what the widget shows) and wait until the page moves on."""
        handle = self.form.element_handle()
        instant = self.form.locator(".replies").count() > 0  # a reply button sends the answer by itself
        if keep:
            qid = self.question()
            if instant:
                self.form.locator(".reply.previous").click()
        else:
            qid = self.fill(question_id, value)
        assert question_id in (None, qid), f"expected {question_id}, on {qid}"
        if not instant:  # never look for Continue after a reply button: the next question may be there already
            self.send()
        self.page.wait_for_function("f => !f.isConnected", arg=handle)
        self.asked.append(qid)
        problems = self.page.evaluate("""() => [document.querySelector('#notice').textContent,
            ...[...document.querySelectorAll('#q-error:not([hidden]), .field .error-message:not([hidden])')]
              .map((e) => e.textContent)].filter(Boolean)""")
        assert not problems, f"after answering {qid}: {problems}"
        return qid

    def answer_until(self, stop: Callable[[str], bool] | str = "review", limit: int = 150) -> None:
        """Answer questions until the question `stop` (or one `stop(question_id)` accepts), or the review."""
        for _ in range(limit):
            if self.screen() != "question":
                assert stop == "review", f"reached the {self.screen()} before the stop"
                return
            qid = self.question()
            if stop(qid) if callable(stop) else stop == qid:
                return
            self.answer()
        raise AssertionError("the flow does not end")

    def back(self) -> str:
        handle = self.form.element_handle()
        self.page.locator("#turn .back-link").click()
        self.page.wait_for_function("f => !f.isConnected", arg=handle)
        return self.question()


def intake(live: LiveServer) -> list[dict[str, Any]]:
    return json.loads(flask_cli(live.env, "intake", "list", "--json").stdout)


def stored_conversation(page: Page) -> dict[str, Any]:
    return json.loads(page.evaluate("localStorage.getItem('nrm-conversation')") or "null") or {}


def answer_turns(live: LiveServer, conversation_id: str, question_id: str) -> int:
    """How many `answer` events the server recorded (applied) for one question of a conversation."""
    with sqlite3.connect(f"file:{live.database}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT count(*) FROM turns WHERE conversation_id = ? AND event = 'answer' AND question_id = ?",
            (conversation_id, question_id),
        ).fetchone()
    return int(row[0])


def review_row(page: Page, question: str, unfold: bool = True) -> Locator:
    """A row of the review, its section unfolded first (a long review opens folded) unless ``unfold`` is False."""
    if unfold:
        page.locator("#turn details.review-section").evaluate_all("all => all.forEach((d) => { d.open = true; })")
    return page.locator("#turn .summary-row").filter(
        has=page.locator(".summary-key", has_text=re.compile(f"^{re.escape(question)}$"))
    )


# ---------------------------------------------------------------------------------------------------


def test_a_child_referral_through_the_chat(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    assert chat.question() == "reference"
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    expect(page.locator("#progress-text")).to_contain_text("Section 1 of")
    expect(page.locator("#turn .back-link")).to_have_count(0)  # nothing to go back to
    shot(page, "chat-question.png")

    # a required answer left empty is refused, and the question stays
    chat.send()
    expect(page.locator("#q-error")).to_be_visible()
    expect(page.locator("#q-error")).to_contain_text("Error:")
    expect(page).to_have_title(re.compile("^Error: "))
    assert chat.question() == "reference"
    shot(page, "chat-error.png")

    chat.answer("reference", "SYN-CHILD-0001")
    expect(page.locator("#q-error")).to_be_hidden()
    expect(page).not_to_have_title(re.compile("Error"))
    chat.on_matches = lambda qid: shot(page, "chat-typeahead.png") if qid == "user-organisation" else None
    chat.answer("about-your-work")  # the organisation and the part of the UK, in one turn
    chat.on_matches = None
    chat.answer_until("birthplace")

    # Back: the previous question comes back with the answer given before
    chat.answer("birthplace", "Synthetic Town One")
    assert chat.question() == "family"
    assert chat.back() == "birthplace"
    expect(chat.form.locator("#answer")).to_have_value("Synthetic Town One")
    assert not any("Synthetic Town One" in t for t in chat.transcript())  # no longer before the question
    chat.answer("birthplace", keep=True)  # Continue keeps it
    assert chat.question() == "family"
    assert "Synthetic Town One" in chat.transcript()[-1]

    # a reload mid-way resumes at the same question, with the transcript
    chat.answer_until("indicators")
    before = chat.transcript()
    assert len(before) >= 20
    page.reload()
    assert chat.question() == "indicators"
    expect(page.locator("#history")).to_be_visible()
    expect(page.locator("#transcript > li")).to_have_count(len(before))
    after = chat.transcript()
    assert after[0] == before[0]
    assert "SYN-CHILD-0001" in after[0]
    assert any("Synthetic Town One" in t for t in after)

    chat.answer_until("review")
    expect(page.locator("#turn .review h2")).to_have_text("Check your answers before you submit")
    expect(page.locator("#progress-text")).to_contain_text("Check your answers")
    where = review_row(page, QUESTIONS["where-exploitation-happened"]["text"])
    expect(where.locator(".summary-value")).to_have_text("In the UK")
    expect(review_row(page, QUESTIONS["where-exploitation-happened-uk-city"]["text"])).to_have_count(1)
    shot(page, "chat-review.png")

    # Change an answer that re-routes: new questions are asked, then the review comes back
    where.locator("button", has_text="Change").click()
    assert chat.question() == "where-exploited"  # the group that asks it, every answer in place
    expect(chat.form.get_by_label("In the UK", exact=True)).to_be_checked()
    chat.asked.clear()
    chat.fixed["where-exploitation-happened"] = "overseas"
    chat.answer_until("review")
    assert chat.asked == ["where-exploited"]  # the countries are asked in the same turn
    expect(review_row(page, QUESTIONS["where-exploitation-happened"]["text"]).locator(".summary-value")).to_have_text(
        "Outside the UK"
    )
    overseas = review_row(page, QUESTIONS["where-exploitation-happened-overseas-country"]["text"])
    expect(overseas.locator(".summary-value")).to_have_text(
        LOOKUPS.label("countries-overseas", LIST_VALUES["countries-overseas"], "en")
    )
    expect(review_row(page, QUESTIONS["where-exploitation-happened-uk-city"]["text"])).to_have_count(0)

    conversation_id = stored_conversation(page)["conversation_id"]
    page.locator("#turn .review").get_by_role("button", name="Submit referral").click()
    expect(page.locator("#turn .panel-title")).to_have_text("NRM referral submitted")
    reference = page.locator("#turn .reference").inner_text()
    assert re.fullmatch(r"NRM-[A-Z0-9]{4}-[A-Z0-9]{4}", reference), reference
    assert is_valid_reference(reference)
    expect(page.locator("#progress-text")).to_contain_text("Sent")
    assert stored_conversation(page) == {}  # the device forgets the submitted referral
    shot(page, "chat-receipt.png")

    records = [r for r in intake(live) if r["reference"] == reference]
    assert len(records) == 1
    record = records[0]
    assert record["kind"] == "nrm"
    assert record["conversation_id"] == conversation_id
    answers = record["answers"]
    assert answers["pv-under-age"] == "yes"
    assert answers["reference"] == "SYN-CHILD-0001"
    assert answers["birthplace"] == "Synthetic Town One"
    assert answers["where-exploitation-happened"] == "overseas"
    assert answers["where-exploitation-happened-overseas-country"] == [LIST_VALUES["countries-overseas"]]
    assert "where-exploitation-happened-uk-city" not in answers  # left the path: never submitted
    assert len([r for r in intake(live) if r["conversation_id"] == conversation_id]) == 1


def test_an_adult_duty_to_notify_report_through_the_chat(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-not-cooperating"])
    chat.answer("reference", "SYN-DTN-0002")
    chat.answer_until("review")
    assert "consent" in chat.asked
    assert "pv-name" not in chat.asked
    expect(review_row(page, QUESTIONS["pv-want-to-submit-nrm"]["text"]).locator(".summary-value")).to_have_text(
        option_label("pv-want-to-submit-nrm", "no")
    )
    expect(page.locator("#turn .review").get_by_role("button", name="Submit referral")).to_have_count(0)
    page.locator("#turn .review").get_by_role("button", name="Send report").click()

    expect(page.locator("#turn .panel-title")).to_have_text("Duty to Notify report submitted")
    reference = page.locator("#turn .reference").inner_text()
    assert re.fullmatch(r"DTN-[A-Z0-9]{4}-[A-Z0-9]{4}", reference), reference
    assert is_valid_reference(reference)

    records = [r for r in intake(live) if r["reference"] == reference]
    assert len(records) == 1
    assert records[0]["kind"] == "dtn"
    assert records[0]["answers"]["reference"] == "SYN-DTN-0002"
    assert records[0]["answers"]["pv-want-to-submit-nrm"] == "no"
    assert "pv-name-first-name" not in records[0]["answers"]


def test_an_answer_given_offline_is_sent_once_when_back_online(page: Page, context: Any, live: LiveServer) -> None:
    # Observed with Debian's Chromium: offline mode does not close an open WebSocket, it holds its frames
    # and delivers them when back online; new WebSockets and polling requests fail while offline. The
    # Socket.IO client closes its own connection on the browser's `offline` event. So the proof that the
    # page itself keeps the answer is the wire: it must leave the browser once, after the network is back.
    phase = ["online"]
    wire: list[tuple[str, str]] = []  # (phase, what the page sent: WebSocket frames and polling bodies)
    closed: list[str] = []

    def on_websocket(ws: Any) -> None:
        ws.on("framesent", lambda payload: wire.append((phase[0], str(payload))))
        ws.on("close", lambda w: closed.append(phase[0]))

    page.on("websocket", on_websocket)
    page.on("request", lambda r: wire.append((phase[0], r.post_data or "")) if "/socket.io/" in r.url else None)
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-cooperating"])
    chat.answer_until("birthplace")
    assert len(chat.asked) >= 4
    conversation = stored_conversation(page)
    expect(page.locator("#status")).to_have_text(STATUS["connected"])

    phase[0] = "offline"
    context.set_offline(True)
    expect(page.locator("#status")).to_have_text(STATUS["offline"])
    handle = chat.form.element_handle()
    chat.fill("birthplace", "Synthetic Offline Town")
    chat.send()
    expect(chat.form.locator(".sending")).to_have_text(
        "Waiting for a connection. Your answer will be sent when you are back online."
    )
    expect(chat.form).to_have_attribute("aria-busy", "true")
    page.wait_for_timeout(1500)
    assert chat.question() == "birthplace"  # not lost, not moved on
    expect(chat.form.locator("#answer")).to_have_value("Synthetic Offline Town")
    assert answer_turns(live, conversation["conversation_id"], "birthplace") == 0  # nothing reached the server
    for _ in range(100):  # Chromium reports the close once the held close handshake times out (about 2 s)
        if closed:
            break
        page.wait_for_timeout(100)
    assert closed == ["offline"]  # the connection in use was dropped, not merely paused

    phase[0] = "back"
    context.set_offline(False)
    page.wait_for_function("f => !f.isConnected", arg=handle, timeout=20_000)
    assert chat.question() == "family"
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    expect(page.locator("#notice")).to_be_empty()
    assert "Synthetic Offline Town" in chat.transcript()[-1]
    assert [p for p, data in wire if "Synthetic Offline Town" in data] == ["back"]  # sent once, once online

    # the server's record: applied once, and the transcript has it once
    assert answer_turns(live, conversation["conversation_id"], "birthplace") == 1
    client = socketio.Client(reconnection=False)
    client.connect(live.url, transports=["websocket"], headers=socket_headers(page), wait_timeout=10)
    try:
        resumed = client.call(
            "resume",
            {"conversation_id": conversation["conversation_id"], "resume_token": conversation["resume_token"]},
            timeout=10,
        )
    finally:
        client.disconnect()
    assert resumed["ok"], resumed
    assert resumed["prompt"]["question_id"] == "family"
    given = [e for e in resumed["transcript"] if e["question_id"] == "birthplace"]
    assert [e["answer"] for e in given] == ["Synthetic Offline Town"]
    assert [e["question_id"] for e in resumed["transcript"]] == [*chat.asked, "birthplace"]


def test_the_browser_keeps_no_answers_and_quick_exit_forgets_the_referral(
    page: Page, context: Any, live: LiveServer
) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-cooperating"])
    secrets = {
        "reference": "SYN-SAFE-0003",
        "birthplace": "Synthetic Hamlet Zed",
        "family": "Synthetic family account for the storage test.",
    }
    chat.answer("reference", secrets["reference"])
    chat.answer_until("birthplace")
    chat.answer("birthplace", secrets["birthplace"])
    chat.answer("family", secrets["family"])
    assert chat.question() == "education"
    assert all(any(s in t for t in chat.transcript()) for s in secrets.values())  # on screen, in memory

    local = page.evaluate("Object.fromEntries(Object.entries(localStorage))")
    session = page.evaluate("Object.fromEntries(Object.entries(sessionStorage))")
    cookies = context.cookies()
    assert list(local) == ["nrm-conversation"]
    kept = json.loads(local["nrm-conversation"])
    assert set(kept) == {"conversation_id", "resume_token"}
    assert re.fullmatch(r"[0-9a-f]{32}", kept["conversation_id"])
    assert session == {}
    everything = json.dumps([local, session, cookies])
    for text in [*secrets.values(), "Synthetic", "England", "Aberdeen"]:
        assert text.lower() not in everything.lower(), text

    # Quick exit: the device forgets the referral and leaves without a history entry
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
    left: list[str] = []

    def outside(route: Any) -> None:  # answered here: nothing leaves the machine
        left.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Weather</title><p>Weather")

    kept_here = [o for o in context.storage_state()["origins"] if o["origin"] == live.url]
    assert [i["name"] for o in kept_here for i in o["localStorage"]] == ["nrm-conversation"]  # what exit must clear
    page.route("https://www.bbc.co.uk/**", outside)
    page.locator("#quick-exit").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert left[0] == "https://www.bbc.co.uk/weather"
    assert set(hosts) <= {urlsplit(live.url).netloc, "www.bbc.co.uk"}, hosts
    expect(page).to_have_title("Weather")
    app_origins = [o for o in context.storage_state()["origins"] if o["origin"] == live.url]
    assert all(not o["localStorage"] for o in app_origins), app_origins
    opened: list[str] = []
    page.on("request", lambda r: opened.append(urlsplit(r.url).path) if r.is_navigation_request() else None)
    page.go_back()  # the chat was replaced in the history, not stacked: back is the page before it
    assert opened[:1] == ["/account"], opened  # where the test signed in; quick exit ended the session too
    expect(page.locator("h1")).to_have_text("Sign in")


def test_consent_links_its_card_and_a_contradiction_is_asked_in_the_chat(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, {**ROUTES["adult-consent-without-support"], "pv-dob": "2014-05-01"})
    chat.answer_until("consent")
    # the consent card is one tap away from the consent question, in the person's language
    link = chat.form.locator("[data-card-link=consent]")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#card-view")).to_be_visible()
    expect(page.locator("#card-content")).to_have_attribute("data-card", "consent")
    page.locator("#card-view-close").click()
    chat.answer()

    # a date of birth that makes them a child after "not under 18": asked at once, the safe choice first
    chat.answer_until("pv-name")  # the group that asks the date of birth
    handle = chat.form.element_handle()
    chat.fill("pv-name")
    chat.send()
    page.wait_for_function("f => !f.isConnected", arg=handle)
    assert chat.question() == "conflict:date-of-birth-under-18"
    expect(chat.form).to_contain_text("This date of birth means they are under 18 today")
    replies = chat.form.locator(".replies .reply")
    expect(replies.first).to_have_text("They are under 18: refer them as a child")
    handle = chat.form.element_handle()
    replies.first.click()
    page.wait_for_function("f => !f.isConnected", arg=handle)
    assert chat.question() == "child-safeguarding-first"


def test_the_chat_talks_over_a_websocket_that_the_policy_allows(page: Page, live: LiveServer) -> None:
    """connect-src is 'self' only: the chat must still upgrade to a WebSocket to its own origin."""
    violations: list[str] = []
    received: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    page.goto(live.url)
    chat = Chat(page, ROUTES["adult-refusal-not-cooperating"])
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    chat.answer_until("about-your-work")
    acknowledgements = [frame for frame in received if frame.startswith("43")]
    assert acknowledgements, "no acknowledgement came over the WebSocket"
    assert not violations
