"""The browser tests' driver of the chat page: answering each kind of question as a worker does, and
what the page, the server and the intake hold. Every value typed is synthetic (tests/scenarios.py)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Locator, Page, expect

from assistant.lookups import Lookups
from tests.browser.conftest import LiveServer
from tests.conftest import first_list_values
from tests.e2e.conftest import flask_cli
from tests.scenarios import synthetic_answer

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


def fill_date(where: Locator, boxes: str, value: Any) -> None:
    """Type a date answer ({day, month, year}, or "YYYY-MM-DD") into its three boxes, ``<boxes>-day`` and so on."""
    parts = value if isinstance(value, dict) else {"day": value[8:], "month": value[5:7], "year": value[:4]}
    for part in ("day", "month", "year"):
        where.locator(f"#{boxes}-{part}").fill(str(parts[part]))


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
            fill_date(form, "answer", value)
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
                fill_date(field, f"f-{fid}", value)
            else:
                field.locator(f"#f-{fid}").fill(str(value))

    def _lookup(self, form: Locator, qid: str, value: Any, listbox: str = "#q-list") -> None:
        if value is None:  # an optional long list left empty (a second nationality)
            return
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
