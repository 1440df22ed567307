"""Accessibility of the chat, the cards for the person and the no-JavaScript form, in a phone-sized Chromium.

axe-core (an npm devDependency: `npm ci`) checks each screen against WCAG 2.0, 2.1 and 2.2 A and AA. The
page's Content Security Policy (`default-src 'self'`, no 'unsafe-inline') blocks an inline <script>, so
Playwright's `add_script_tag(content=...)` is refused; axe is evaluated with `page.evaluate` instead (a
DevTools evaluation, which the page's CSP does not govern), without loosening the CSP (no `bypass_csp`).
The tests also measure target sizes (WCAG 2.2, 2.5.8), and check that each new question is announced and
takes the focus. Every value typed is synthetic (tests/scenarios.py).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import socketio
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import LIST_VALUES, Chat
from tests.browser.conftest import LiveServer, need, socket_headers
from tests.scenarios import ROUTES, answer_for, synthetic_answer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MIN_TARGET = 24  # CSS pixels: WCAG 2.2, 2.5.8 Target Size (Minimum)
ROUTE = ROUTES["adult-consent-without-support"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""

# Every control a finger can hit that is rendered and on screen. While a modal dialog is open only it
# counts (the page behind is inert). Text visually hidden with .vh is read by screen readers, not tapped.
SMALL_TARGETS = """(min) => {
  const scope = document.querySelector("dialog:modal") || document;
  const controls = scope.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=option], [tabindex]:not([tabindex="-1"])');
  const width = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "")
    + ' "' + (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 40) + '"';
  return [...controls]
    .filter((e) => e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) && !e.closest(".vh"))
    .map((e) => ({e, r: e.getBoundingClientRect()}))
    .filter(({r}) => r.width && r.height && r.right > 0 && r.left < width)  // not parked off screen (skip link)
    .filter(({r}) => r.width < min || r.height < min)
    .map(({e, r}) => `${name(e)}: ${Math.round(r.width * 10) / 10} x ${Math.round(r.height * 10) / 10}`);
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    if page.evaluate("typeof window.axe") != "object":  # once per document
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return list(page.evaluate(RUN_AXE, WCAG))


def report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['url']}>")
        lines.extend(f"    {n['target']}: {' '.join(str(n['summary']).split())}" for n in v["nodes"])
    return "\n".join(lines)


def assert_accessible(page: Page, screen: str, targets: bool = True) -> None:
    """No axe violation on the page as it is now; with `targets`, no control smaller than 24 by 24 CSS px."""
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} violation(s) on {screen}:\n{report(violations)}"
    if targets:
        small = page.evaluate(SMALL_TARGETS, MIN_TARGET)
        assert not small, f"targets under {MIN_TARGET} x {MIN_TARGET} CSS px on {screen}:\n" + "\n".join(small)


def assert_announced_and_focused(page: Page, chat: Chat) -> None:
    """The new question is said in the polite live region, and the focus is in it (not left on the page)."""
    text = page.locator("#turn #q-text").inner_text().strip()
    assert text
    expect(page.locator("#announce")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#announce")).to_contain_text(text)
    where = page.evaluate("""() => { const a = document.activeElement, t = document.getElementById("turn");
        return {inTurn: a !== t && t.contains(a), inQuestion: !!a.closest("#turn form.question"),
                what: a.tagName + (a.id ? "#" + a.id : "")}; }""")
    assert where["inTurn"], f"after an answer the focus is on {where['what']}, outside #turn"
    assert where["inQuestion"], f"after an answer the focus is on {where['what']}, not in the question"


def answer_by_socket(
    page: Page, live: LiveServer, conversation_id: str, resume_token: str, until: str = "review"
) -> None:
    """Answer the rest of a conversation over its own Socket.IO connection (resume, then answer), fast,
    in the page's signed-in session."""
    client = socketio.Client(reconnection=False)
    client.connect(live.url, transports=["websocket"], headers=socket_headers(page), wait_timeout=10)
    try:
        turn = client.call("resume", {"conversation_id": conversation_id, "resume_token": resume_token}, timeout=10)
        assert turn["ok"], turn
        for _ in range(150):
            if "prompt" not in turn or turn["prompt"]["question_id"] == until:
                break
            prompt = turn["prompt"]
            qid = prompt["question_id"]
            value = "seen" if prompt["kind"] == "info" else answer_for(prompt, ROUTE, answer=synthetic)
            turn = client.call(
                "answer",
                {
                    "conversation_id": conversation_id,
                    "question_id": qid,
                    "value": value,
                    "client_msg_id": uuid.uuid4().hex,
                },
                timeout=10,
            )
            assert turn["ok"], turn
    finally:
        client.disconnect()
    assert ("review" in turn) if until == "review" else turn["prompt"]["question_id"] == until, turn


def synthetic(prompt: Any) -> Any:
    return synthetic_answer(prompt, LIST_VALUES)


def form_conversation(page: Page, live: LiveServer) -> dict[str, str]:
    """The conversation the no-JavaScript form keeps in its signed session cookie: {"id", "token"}."""
    app = Flask(__name__)
    app.secret_key = live.env["SECRET_KEY"]
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    cookies = [c for c in page.context.cookies(live.url) if c["name"].endswith("session")]
    assert len(cookies) == 1, cookies
    return dict(serializer.loads(cookies[0]["value"])["form"])


@pytest.fixture(autouse=True)
def _axe_installed() -> None:
    need(AXE.exists(), f"axe-core is not installed at {AXE.relative_to(ROOT)} (npm ci)")


# ---------------------------------------------------------------------------------------------------


def test_the_chat_is_accessible_from_the_first_question_to_the_receipt(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTE)
    assert chat.question() == "reference"
    expect(page.locator("#announce")).to_contain_text(page.locator("#q-text").inner_text())
    assert_accessible(page, "the chat's first question")

    chat.send()  # required and empty: refused
    expect(page.locator("#q-error")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "answer"  # back on the field to correct
    expect(page.locator("#answer")).to_have_attribute("aria-describedby", re.compile(r"\bq-error\b"))
    assert_accessible(page, "the chat's validation error")

    typeaheads: list[str] = []

    def with_matches(qid: str) -> None:  # while a type-ahead's listbox is open
        expect(page.locator("#turn [role=listbox]:not([hidden])")).to_be_visible()
        assert_accessible(page, f"the type-ahead of {qid} with its listbox open", targets=True)
        typeaheads.append(qid)
        chat.on_matches = None  # axe once; enough for one kind of screen

    chat.on_matches = with_matches
    chat.answer("reference", "SYN-A11Y-0001")
    checked: set[str] = set()  # the kinds of question screen checked, "choice" being the quick replies
    announced: set[str] = set()
    for _ in range(150):
        if chat.screen() != "question":
            break
        qid = chat.question()
        kind = str(chat.form.get_attribute("data-kind"))
        if chat.form.locator("input[role=combobox]").count():
            kind = "type-ahead"
        elif chat.form.locator("select").count():
            kind = "select"
        if kind not in announced:  # the answer before brought it: said, and focused
            assert_announced_and_focused(page, chat)
            announced.add(kind)
        if kind not in checked:
            if kind == "choice":
                expect(chat.form.locator(".replies .reply").first).to_be_visible()
            assert_accessible(page, f"a {kind} question ({qid})")
            checked.add(kind)
        chat.answer()
    assert typeaheads == ["user-organisation"]
    # a group holds choices, dates, checkboxes and explanations among its fields
    assert {"choice", "type-ahead", "group", "textarea", "text"} <= checked, checked

    expect(page.locator("#turn .review")).to_be_visible()
    expect(page.locator("#announce")).to_contain_text("Check your answers before you submit")
    assert page.evaluate("document.getElementById('turn').contains(document.activeElement)")
    assert_accessible(page, "the review")

    page.locator("#turn .review").get_by_role("button", name="Submit referral").click()
    expect(page.locator("#turn .panel-title")).to_have_text("NRM referral submitted")
    expect(page.locator("#announce")).to_contain_text("NRM referral submitted")
    assert page.evaluate("document.activeElement.classList.contains('panel-title')")
    assert_accessible(page, "the receipt")


def test_the_cards_for_the_person_are_accessible_in_arabic_over_an_english_page(page: Page, live: LiveServer) -> None:
    page.goto(live.url)
    Chat(page).question()
    expect(page.locator("#status")).to_have_text("Connected")  # the cards come over the connection
    opener = page.locator("#cards-open")
    expect(opener).to_be_visible()
    opener.click()
    expect(page.locator("#cards")).to_be_visible()
    expect(page.locator("#card-list > li")).to_have_count(5)
    assert_accessible(page, "the cards panel")

    page.locator("#person-language").select_option("ar")
    consent = page.locator("#card-list > li[data-card=consent]")
    expect(consent).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "the cards panel listing the cards in Arabic")

    consent.locator("button.card-show").click()
    card = page.locator("#card-content")
    expect(page.locator("#card-view")).to_be_visible()
    expect(card).to_have_attribute("lang", "ar")
    expect(card).to_have_attribute("dir", "rtl")
    assert_accessible(page, "the consent card full screen in Arabic over an English page")


def test_the_arabic_chat_page_is_accessible(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    chat = Chat(page)
    assert chat.question() == "reference"
    assert_accessible(page, "the Arabic chat page's first question")
    chat.send()
    expect(page.locator("#q-error")).to_be_visible()
    assert_accessible(page, "the Arabic chat page's validation error")


def test_the_form_without_javascript_is_accessible(page: Page, live: LiveServer) -> None:
    # The form's pages load no script at all, so they are the same with JavaScript on; axe needs it on
    # (evaluated into a page whose scripts are disabled, axe.run never settles).
    page.goto(f"{live.url}/form/")
    expect(page.locator("script")).to_have_count(0)
    assert_accessible(page, "the form's start page")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Start now").click()
    expect(page.locator("input[name=question_id]")).to_have_value("reference")
    assert_accessible(page, "the form's first question page")

    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main .error-summary")).to_be_visible()
    expect(page.locator("main .error-message")).to_be_visible()
    # The error summary's link is one line of text (21 px high): WCAG 2.5.8 lets it be under 24 px because
    # nothing else is within its spacing circle, which axe's target-size rule checks; so no strict check here.
    assert_accessible(page, "the form's question page in its error state", targets=False)

    conversation = form_conversation(page, live)
    answer_by_socket(page, live, conversation["id"], conversation["token"])
    page.goto(f"{live.url}/form/question")
    expect(page.locator("main h1")).to_have_text("Check your answers before you submit")
    assert page.locator("main .summary-row").count() > 40
    assert_accessible(page, "the form's check answers page")

    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Submit referral").click()
    expect(page.locator("main .panel-title")).to_have_text("NRM referral submitted")
    assert_accessible(page, "the form's receipt")


def test_the_sign_in_page_is_accessible_and_its_error_too(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/sign-in")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert_accessible(page, "the sign-in page")
    page.locator("#email").fill("nobody@example.org")
    page.locator("#password").fill("not a password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter a correct email address and password.")
    assert_accessible(page, "the sign-in error", targets=False)  # the error-summary link: WCAG 2.5.8 spacing
