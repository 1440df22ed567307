"""The referral without JavaScript: the plain HTML form at /form/, one question per page, in a phone-sized
Chromium with scripts disabled. Every value typed is synthetic (tests/scenarios.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from assistant.references import is_valid_reference
from tests.browser.chat_driver import LIST_VALUES, LOOKUPS, QUESTIONS, intake, option_label
from tests.browser.conftest import PHONE, LiveServer, sign_in
from tests.scenarios import ROUTES, synthetic_answer

pytestmark = pytest.mark.browser

REVIEW_TITLE = "Check your answers before you submit"


class NoJsForm:
    """Drives /form/ as a user would: one page per question, each answer a real form post."""

    def __init__(self, page: Page, fixed: Mapping[str, Any] | None = None) -> None:
        self.page = page
        self.fixed: dict[str, Any] = dict(fixed or {})
        self.asked: list[str] = []
        self.kinds: set[str] = set()  # the kinds of page met ("choice", "lookup", "lookup-repeat", ...)
        self.skipped: list[str] = []
        self.matched: list[str] = []  # lookups answered by choosing among the matches of a partial text

    # ---- where we are ----
    @property
    def form(self) -> Locator:
        return self.page.locator("main form[action*='/form/answer']")

    def screen(self) -> str:
        """ "question", "review" or "receipt"."""
        if self.form.count():
            return "question"
        if self.page.locator("main .panel").count():
            return "receipt"
        expect(self.page.locator("main h1")).to_have_text(REVIEW_TITLE)
        return "review"

    def question(self) -> str:
        return str(self.form.locator("input[name=question_id]").get_attribute("value"))

    def kind(self) -> str:
        return str(self.form.locator("input[name=kind]").get_attribute("value"))

    def errors(self) -> list[str]:
        return self.page.locator("main .error-summary, main .error-message").all_inner_texts()

    # ---- acting ----
    def press(self, button: Locator) -> None:
        """A button that posts a form; returns once the page it leads to (after the redirect) has loaded."""
        with self.page.expect_navigation():
            button.click()

    def continue_(self) -> None:
        self.press(self.form.locator("button[type=submit]:not([name=skip])"))

    def skip(self) -> None:
        self.press(self.form.locator("button[name=skip]"))

    def back(self) -> None:
        self.press(self.page.locator("main .back-form button"))

    def value_for(self, question_id: str) -> Any:
        if question_id in self.fixed:
            return self.fixed[question_id]
        q = QUESTIONS[question_id]
        return synthetic_answer(
            {"kind": q["kind"], "options": q.get("options"), "lookup": q.get("lookup"), "repeat": q.get("repeat")},
            LIST_VALUES,
        )

    def fill(self, question_id: str | None = None, value: Any = None) -> str:
        qid, kind, form = self.question(), self.kind(), self.form
        assert question_id in (None, qid), f"expected {question_id}, on {qid}"
        self.kinds.add(kind)
        if kind == "group":  # every field on one page, each by its own kind
            for entry in form.locator("input[name=field]").all():
                fid, _, field_kind = str(entry.get_attribute("value")).partition(":")
                self.kinds.add(field_kind)
                self.fill_field(fid, field_kind)
            return qid
        value = self.value_for(qid) if value is None else value
        if kind == "info":
            expect(form.locator("input[name=value], input[name=value_text]")).to_have_count(0)
        elif kind in ("choice", "select"):
            radio = form.get_by_role("radio", name=option_label(qid, value), exact=True)
            radio.check()
            expect(form.locator("input[type=radio]:checked")).to_have_count(1)
        elif kind == "multichoice":
            for box in form.locator("input[type=checkbox]").all():
                box.uncheck()
            for v in value:
                form.get_by_role("checkbox", name=option_label(qid, v), exact=True).check()
        elif kind == "date":
            day, month, year = value[8:], value[5:7], value[:4]
            for label, text in (("Day", day), ("Month", month), ("Year", year)):
                form.get_by_label(label, exact=True).fill(text)
        elif kind == "upload":  # no file: Continue leaves it unanswered (files: tests/web/test_form_uploads.py)
            expect(form.locator("input[type=file]")).to_have_count(1)
        elif kind == "lookup":
            self._lookup(qid, value)
        elif kind == "lookup-repeat":
            labels = [LOOKUPS.label(str(QUESTIONS[qid]["lookup"]), v, "en") for v in value]
            boxes = form.locator("input[name=value_text]")
            assert boxes.count() == QUESTIONS[qid]["repeat"]  # one text input for each place that can be given
            for i in range(boxes.count()):
                boxes.nth(i).fill(labels[i] if i < len(labels) else "")
        else:
            form.locator("#value").fill(str(value))
        return qid

    def fill_field(self, fid: str, kind: str) -> None:
        """One field of a group's page, its inputs named "<field id>:<part>". An optional field whose answer
        is not fixed is left empty, as a skipped question is."""
        form, spec = self.form, QUESTIONS[fid]
        if kind == "info":
            return
        if spec.get("required") is False and fid not in self.fixed:
            if "when" not in spec:  # always asked: it shows as not answered
                self.skipped.append(fid)
            return
        value = self.value_for(fid)
        if kind in ("choice", "select", "multichoice"):
            for box in form.locator(f'input[type=checkbox][name="{fid}:value"]').all():
                box.uncheck()  # a checkbox kept from before; a radio button is replaced by checking another
            for v in value if isinstance(value, list) else [value]:
                form.locator(f'input[name="{fid}:value"][value="{v}"]').check()
        elif kind == "date":
            for suffix, text in (("", value[8:]), ("-month", value[5:7]), ("-year", value[:4])):
                form.locator(f"#f-{fid}{suffix}").fill(text)
        elif kind == "lookup":
            self._lookup(fid, value, f"#f-{fid}", f"{fid}:value")
        elif kind == "lookup-repeat":
            labels = [LOOKUPS.label(str(spec["lookup"]), v, "en") for v in value]
            boxes = form.locator(f'input[name="{fid}:value_text"]')
            assert boxes.count() == spec["repeat"]  # one text input for each place that can be given
            for i in range(boxes.count()):
                boxes.nth(i).fill(labels[i] if i < len(labels) else "")
        else:
            form.locator(f"#f-{fid}").fill(str(value))

    def _lookup(self, qid: str, value: str, box: str = "#value", radios: str = "value") -> None:
        """The type-ahead's replacement: a text input. A partial text that matches several entries comes back
        with the matches to choose from (the first lookup); otherwise the whole label is typed."""
        lookup = str(QUESTIONS[qid]["lookup"])
        label = LOOKUPS.label(lookup, value, "en")
        partial = label[:3]
        if self.matched or len(LOOKUPS.search(lookup, partial, "en")) < 2:
            self.form.locator(box).fill(label)
            return
        page_id = self.question()
        self.form.locator(box).fill(partial)
        self.continue_()
        assert self.question() == page_id
        expect(self.page.locator("main .error-summary")).to_be_visible()
        matches = self.form.locator(f'input[type=radio][name="{radios}"]')
        assert matches.count() >= 2, "a partial text offers its matches"
        expect(self.form.locator(box)).to_have_value(partial)  # what was typed is kept
        self.form.get_by_role("radio", name=label, exact=True).check()
        self.matched.append(qid)

    def answer(self, question_id: str | None = None, value: Any = None) -> str:
        qid = self.fill(question_id, value)
        self.continue_()
        assert not self.errors(), f"after answering {qid}: {self.errors()}"
        self.asked.append(qid)
        return qid

    def answer_until(self, stop: str = "review", skip_optional: bool = True, limit: int = 150) -> None:
        """Answer page after page until the question `stop`, or the review. Optional questions are skipped
        unless their answer is fixed."""
        for _ in range(limit):
            if self.screen() != "question":
                assert stop == "review", f"reached the {self.screen()} before {stop}"
                return
            qid = self.question()
            if qid == stop:
                return
            if skip_optional and QUESTIONS[qid].get("required") is False and qid not in self.fixed:
                self.skip()
                assert not self.errors(), f"after skipping {qid}: {self.errors()}"
                self.asked.append(qid)
                self.skipped.append(qid)
                continue
            self.answer()
        raise AssertionError("the flow does not end")


def review_row(page: Page, question_id: str) -> Locator:
    text = str(QUESTIONS[question_id]["text"])
    page.locator("main details.review-section").evaluate_all("all => all.forEach((d) => { d.open = true; })")
    return page.locator("main .summary-row").filter(
        has=page.locator(".summary-key", has_text=re.compile(f"^{re.escape(text)}$"))
    )


@pytest.fixture
def nojs_page(browser: Any, live: LiveServer) -> Iterator[Page]:
    ctx = browser.new_context(**PHONE, java_script_enabled=False, locale="en-GB", timezone_id="Europe/London")
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    sign_in(page, live)  # signing in needs no script either
    yield page
    ctx.close()


# ---------------------------------------------------------------------------------------------------


def test_the_chat_page_without_javascript_links_to_the_form(nojs_page: Page, live: LiveServer) -> None:
    page = nojs_page
    page.goto(live.url)
    link = page.locator("#turn").get_by_role("link", name="Make a referral")
    expect(link).to_be_visible()
    expect(page.locator("#turn form.question")).to_have_count(0)  # nothing the script would draw
    link.click()
    page.wait_for_url(re.compile(r"/form/"))
    expect(page.locator("main h1")).to_have_text("Make a referral")
    expect(page.locator("main").get_by_role("button", name="Start now")).to_be_visible()


def test_the_chat_page_without_javascript_says_so_and_switches_language(nojs_page: Page, live: LiveServer) -> None:
    """No "Connecting…" that never connects, no button the script would handle, and a language
    switch that works as a plain GET form."""
    page = nojs_page
    page.goto(live.url)
    expect(page.locator("#status")).to_be_hidden()
    expect(page.locator("#new-referral")).to_be_hidden()
    expect(page.locator("#turn p", has_text="JavaScript is off")).to_be_visible()
    link = page.locator("#turn").get_by_role("link", name="Make a referral")
    expect(link).to_be_visible()
    page.locator("#ui-language").select_option("cy")
    with page.expect_navigation():
        page.locator(".toolbar").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert "lang=cy" in page.url


def test_an_adult_consent_referral_through_the_form_without_javascript(nojs_page: Page, live: LiveServer) -> None:
    page = nojs_page
    page.goto(f"{live.url}/form/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    form = NoJsForm(
        page, {**ROUTES["adult-consent-without-support"], "where-exploitation-happened": "uk", "pv-dob": "1990-03-27"}
    )  # optional, answered: the date inputs
    form.press(page.locator("main").get_by_role("button", name="Start now"))
    assert form.question() == "reference"
    expect(page.locator("main .back-form")).to_have_count(1)

    # an empty answer: the GOV.UK error summary, linked to the field, and the inline error
    form.continue_()
    assert form.question() == "reference"
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.locator("h2")).to_have_text("There is a problem")
    expect(summary.locator("a")).to_have_attribute("href", "#value")
    message = summary.locator("a").inner_text().strip()
    assert message
    inline = page.locator("main #error-reference")
    expect(inline).to_be_visible()
    expect(inline).to_contain_text("Error:")
    expect(inline).to_contain_text(message)
    expect(page.locator("#value")).to_have_attribute("aria-describedby", re.compile(r"\berror-reference\b"))
    expect(page).to_have_title(re.compile("^Error: "))

    form.answer("reference", "SYN-NOJS-0001")
    expect(page).not_to_have_title(re.compile("Error"))
    assert form.question() == "about-your-work"
    form.answer_until("birthplace")
    assert form.matched == ["user-organisation"]  # chosen among the matches of a partial text

    # Back: the previous page again, with the answer given before
    form.answer("birthplace", "Synthetic Nojs Town")
    assert form.question() == "family"
    form.back()
    assert form.question() == "birthplace"
    expect(page.locator("#value")).to_have_value("Synthetic Nojs Town")
    form.continue_()  # Continue keeps it
    assert form.question() == "family"

    form.answer_until("review")
    kinds = {"group", "choice", "multichoice", "date", "lookup", "lookup-repeat", "textarea", "text", "info"}
    assert kinds <= form.kinds, form.kinds
    assert form.skipped, "an optional question was skipped"
    assert "pv-name" in form.asked  # the group with the date of birth
    expect(review_row(page, "where-exploitation-happened").locator(".summary-value")).to_have_text("In the UK")
    expect(review_row(page, "where-exploitation-happened-uk-city")).to_have_count(1)
    skipped = review_row(page, form.skipped[0]).locator(".summary-value")
    expect(skipped).to_have_text("Not answered")

    # Change an answer that re-routes: its page, the new questions, then check answers again
    form.press(review_row(page, "where-exploitation-happened").get_by_role("button", name=re.compile("^Change")))
    assert form.question() == "where-exploited"  # the group that asks it, on one page
    expect(form.form.get_by_role("radio", name="In the UK", exact=True)).to_be_checked()
    form.asked.clear()
    form.fixed["where-exploitation-happened"] = "overseas"
    form.answer_until("review")
    assert form.asked == ["where-exploited"]
    expect(page.locator("main h1")).to_have_text(REVIEW_TITLE)
    expect(review_row(page, "where-exploitation-happened").locator(".summary-value")).to_have_text("Outside the UK")
    expect(review_row(page, "where-exploitation-happened-overseas-country").locator(".summary-value")).to_have_text(
        LOOKUPS.label("countries-overseas", LIST_VALUES["countries-overseas"], "en")
    )
    expect(review_row(page, "where-exploitation-happened-uk-city")).to_have_count(0)

    form.press(page.locator("main").get_by_role("button", name="Submit referral"))
    assert form.screen() == "receipt"
    expect(page.locator("main .panel-title")).to_have_text("NRM referral submitted")
    reference = page.locator("main .reference").inner_text().strip()
    assert re.fullmatch(r"NRM-[A-Z0-9]{4}-[A-Z0-9]{4}", reference), reference
    assert is_valid_reference(reference)

    records = [r for r in intake(live) if r["reference"] == reference]
    assert len(records) == 1
    record = records[0]
    assert record["kind"] == "nrm"
    answers = record["answers"]
    assert answers["reference"] == "SYN-NOJS-0001"
    assert answers["user-organisation"] == LIST_VALUES["organisations"]
    assert answers["pv-under-age"] == "no"
    assert answers["pv-want-to-submit-nrm"] == "yes"
    assert answers["does-pv-need-support"] == "no"
    assert answers["birthplace"] == "Synthetic Nojs Town"
    assert answers["where-exploitation-happened"] == "overseas"
    assert answers["where-exploitation-happened-overseas-country"] == [LIST_VALUES["countries-overseas"]]
    assert "where-exploitation-happened-uk-city" not in answers  # left the path: never submitted
    assert answers.get(form.skipped[0]) in (None, "", [])
    assert answers["pv-dob"] == "1990-03-27"  # from three date inputs
