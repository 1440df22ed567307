"""The chat page's first load: the first question comes drawn in the HTML, so it can be read and answered
before any script or the connection is there; the scripts take it over without drawing it again. In a
phone-sized Chromium (tests/browser/conftest.py), signed in. Every value typed is synthetic."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import socketio
from playwright.sync_api import Page, Route, expect

from tests.browser.chat_driver import STATUS, Chat, answer_turns, stored_conversation
from tests.browser.conftest import PHONE, LiveServer, sign_in, socket_headers
from tests.e2e.conftest import create_account

pytestmark = pytest.mark.browser

QUESTION = "What reference would you like to give this report?"
CHAT_SCRIPT = "**/bundle/main.js"  # under /static/<version>/: the chat's modules and the Socket.IO client
DRAWN = "#turn > form.question"
# A network that lets no WebSocket through (as some proxies do): each one fails before it opens.
BLOCKED_WEBSOCKETS = """window.WebSocket = class extends EventTarget {
  constructor() {
    super();
    this.readyState = 0;
    setTimeout(() => { this.readyState = 3; if (this.onerror) this.onerror(new Event("error"));
      if (this.onclose) this.onclose({ code: 1006, reason: "" }); }, 10);
  }
  send() {}
  close() {}
}"""


class Held:
    """Requests matching a pattern wait (unanswered) until released; later ones pass straight through."""

    def __init__(self, page: Page, pattern: str) -> None:
        self.page, self.holding = page, True
        self.routes: list[Route] = []
        page.route(pattern, self._hold)

    def _hold(self, route: Route) -> None:
        if self.holding:
            self.routes.append(route)
        else:
            route.continue_()

    def wait(self) -> None:
        for _ in range(200):
            if self.routes:
                return
            self.page.wait_for_timeout(50)
        raise AssertionError("the request was never made")

    def release(self) -> None:
        self.holding = False
        for route in self.routes:
            route.continue_()
        self.routes.clear()


def away(page: Page, live: LiveServer) -> None:
    """Off the chat page (signing in lands on it, and its scripts start a referral), with nothing kept."""
    page.goto(f"{live.url}/healthz")
    page.evaluate("localStorage.clear()")


def resumed(page: Page, live: LiveServer) -> dict[str, Any]:
    """The server's record of the page's conversation, through a client of its own (resume)."""
    conversation = stored_conversation(page)
    client = socketio.Client(reconnection=False)
    client.connect(live.url, transports=["websocket"], headers=socket_headers(page), wait_timeout=10)
    try:
        turn = client.call(
            "resume",
            {"conversation_id": conversation["conversation_id"], "resume_token": conversation["resume_token"]},
            timeout=10,
        )
    finally:
        client.disconnect()
    assert turn["ok"], turn
    return dict(turn)


@pytest.fixture
def nojs_page(browser: Any, live: LiveServer) -> Iterator[Page]:
    ctx = browser.new_context(**PHONE, java_script_enabled=False, locale="en-GB", timezone_id="Europe/London")
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    sign_in(page, live, create_account(live.env))  # an account of its own
    yield page
    ctx.close()


# ---------------------------------------------------------------------------------------------------


def test_the_first_question_can_be_read_and_typed_before_the_scripts_arrive(page: Page, live: LiveServer) -> None:
    away(page, live)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    script = Held(page, CHAT_SCRIPT)
    response = page.goto(live.url, wait_until="commit")
    assert response is not None
    assert response.headers.get("content-encoding") in ("gzip", "br", "zstd")  # the HTML is compressed...
    assert "accept-encoding" in response.headers.get("vary", "").lower()
    static = page.request.get(f"{live.url}/static/bundle/main.js", headers={"Accept-Encoding": "gzip"})
    assert static.headers["content-encoding"] == "gzip"  # ...and so are static files, by the app itself
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    assert nonce
    assert f"style-src 'self' 'nonce-{nonce.group(1)}'" in policy
    script.wait()

    # no script of the page's own has run: the question is the HTML's, visible and typeable
    expect(page.locator("#q-text")).to_have_text(QUESTION)
    expect(page.locator("#q-text")).to_be_visible()
    expect(page.locator("#q-hint")).to_be_visible()
    expect(page.locator("#progress-text")).to_have_text("Section 1 of 14: About this report")
    assert page.evaluate("[typeof io, document.documentElement.dataset.chat]") == ["undefined", None]
    expect(page.locator("#status")).to_have_text("Connecting…")
    assert page.locator("link[rel=stylesheet]").count() == 0  # the stylesheet is inline: nothing to wait for
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") != "rgba(0, 0, 0, 0)"
    answer = page.locator("#answer")
    answer.click()
    answer.press_sequentially("SYN-EARLY-")
    drawn = page.locator(DRAWN).element_handle()

    script.release()  # the scripts run, take the question over, connect and start in the background
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    page.wait_for_function("() => !!localStorage.getItem('nrm-conversation')")  # `start` acknowledged
    answer.press_sequentially("0001")
    expect(answer).to_have_value("SYN-EARLY-0001")  # nothing typed was lost
    assert page.evaluate("d => d.isConnected", drawn), "the question was drawn again"
    assert page.evaluate("document.activeElement.id") == "answer"  # nor the focus
    expect(page.locator("#announce")).to_contain_text(QUESTION)
    expect(page.locator("#turn > *")).to_have_count(1)  # the noscript text and "Loading…" are gone
    assert not refused, refused

    chat = Chat(page)
    chat.answer("reference", keep=True)
    assert chat.question() == "about-your-work"
    turn = resumed(page, live)
    assert [(e["question_id"], e["answer"]) for e in turn["transcript"]] == [("reference", "SYN-EARLY-0001")]


def test_continue_before_the_scripts_arrive_sends_the_answer_once_when_they_do(page: Page, live: LiveServer) -> None:
    away(page, live)
    script = Held(page, CHAT_SCRIPT)
    page.goto(live.url, wait_until="commit")
    script.wait()
    page.locator("#answer").fill("SYN-EARLY-0002")
    page.locator(DRAWN).get_by_role("button", name="Continue").click()
    form = page.locator(DRAWN)
    expect(form).to_have_attribute("aria-busy", "true")
    expect(form.locator(".sending")).to_have_text("Sending…")
    page.wait_for_timeout(300)
    assert urlpath(page.url) == "/"  # the form was not submitted by the browser (no page load)
    expect(page.locator("#answer")).to_have_value("SYN-EARLY-0002")

    script.release()
    chat = Chat(page)
    expect(chat.form).to_have_attribute("data-question", "about-your-work")
    expect(page.locator("#transcript > li")).to_have_count(1)
    expect(page.locator("#transcript > li")).to_contain_text("SYN-EARLY-0002")
    conversation = stored_conversation(page)
    assert answer_turns(live, conversation["conversation_id"], "reference") == 1
    turn = resumed(page, live)
    assert turn["prompt"]["question_id"] == "about-your-work"
    assert [(e["question_id"], e["answer"]) for e in turn["transcript"]] == [("reference", "SYN-EARLY-0002")]


def test_an_answer_given_before_the_connection_is_up_is_sent_once_without_start(page: Page, live: LiveServer) -> None:
    # The page's request opened the referral. The WebSocket fails, so the client falls back to
    # long-polling, whose handshake is held: the answer waits in the queue, not refused, and leaves once
    # connected, alone (no `start`, no `resume` before it).
    away(page, live)
    wire: list[str] = []
    page.on("request", lambda r: wire.append(r.post_data or "") if "/socket.io/" in r.url else None)
    page.add_init_script(BLOCKED_WEBSOCKETS)
    handshake = Held(page, "**/socket.io/**")
    page.goto(live.url)
    handshake.wait()
    page.wait_for_function("() => document.documentElement.dataset.chat === 'ready'")  # the chat's script has run
    expect(page.locator("#status")).not_to_have_text(STATUS["connected"])
    page.locator("#answer").fill("SYN-EARLY-0003")
    page.locator("#answer").press("Enter")
    form = page.locator(DRAWN)
    expect(form).to_have_attribute("aria-busy", "true")
    page.wait_for_timeout(300)
    assert form.get_attribute("data-question") == "reference"
    expect(page.locator("#q-error")).to_be_hidden()

    handshake.release()
    chat = Chat(page)
    expect(chat.form).to_have_attribute("data-question", "about-your-work")
    events = [w for w in wire if w.startswith("42")]
    assert len(events) == 1, events  # the answer, once, and nothing before it
    assert '"answer"' in events[0]
    assert "SYN-EARLY-0003" in events[0]
    conversation = stored_conversation(page)
    assert answer_turns(live, conversation["conversation_id"], "reference") == 1
    turn = resumed(page, live)
    assert [(e["question_id"], e["answer"]) for e in turn["transcript"]] == [("reference", "SYN-EARLY-0003")]


def test_the_chat_opens_its_websocket_before_the_scripts_arrive_and_uses_no_long_polling(
    page: Page, live: LiveServer
) -> None:
    away(page, live)
    polled: list[str] = []
    sockets: list[str] = []
    sent: list[str] = []
    page.on("request", lambda r: polled.append(r.url) if "/socket.io/" in r.url else None)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    script = Held(page, CHAT_SCRIPT)
    page.goto(live.url, wait_until="commit")
    script.wait()
    page.wait_for_function("() => document.readyState !== 'loading'")
    page.wait_for_timeout(300)
    assert len(sockets) == 1, sockets  # opened by the page itself, while the scripts are still on their way
    script.release()
    chat = Chat(page)
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    chat.answer("reference", "SYN-WS-0005")
    assert chat.question() == "about-your-work"
    assert polled == []
    assert len(sockets) == 1, sockets  # the client adopted it: no second WebSocket
    assert re.match(r'42\d*\["answer"', next(f for f in sent if f.startswith("42")))  # the first event: no start


def test_a_kept_referral_resumes_without_showing_the_first_question(page: Page, live: LiveServer) -> None:
    away(page, live)
    page.goto(live.url)
    chat = Chat(page)
    chat.answer("reference", "SYN-KEPT-0004")
    assert chat.question() == "about-your-work"

    # every frame the page paints from now on is sampled: is the first question (the server's) on screen?
    page.add_init_script("""(() => {
      window.__shown = [];
      const look = () => {
        const f = document.querySelector("#turn > form.question");
        if (f && f.checkVisibility()) window.__shown.push(f.dataset.question);
        requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    })()""")
    script = Held(page, CHAT_SCRIPT)
    page.goto(live.url, wait_until="commit")
    script.wait()
    expect(page.locator("#q-text")).to_have_count(1)  # in the HTML...
    expect(page.locator(DRAWN)).to_be_hidden()  # ...but not shown while the referral resumes
    expect(page.locator("html")).to_have_class(re.compile(r"\bresuming\b"))
    expect(page.locator("#turn .resume-loading")).to_be_visible()
    script.release()
    assert chat.question() == "about-your-work"
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bresuming\b"))
    expect(page.locator("#transcript > li")).to_have_count(1)
    assert "reference" not in page.evaluate("window.__shown"), "the first question flashed"


def test_the_drawn_question_is_the_one_the_script_draws(page: Page, live: LiveServer) -> None:
    away(page, live)
    script = Held(page, CHAT_SCRIPT)
    page.goto(live.url, wait_until="commit")
    script.wait()
    expect(page.locator("#q-text")).to_be_visible()
    served = page.locator(DRAWN).evaluate("f => f.outerHTML")
    script.release()
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    page.wait_for_function("() => !!localStorage.getItem('nrm-conversation')")

    page.reload()  # the same conversation, resumed at its first question: drawn by the script this time
    Chat(page).question()
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bresuming\b"))
    drawn = page.locator(DRAWN).evaluate("f => f.outerHTML")
    same = page.evaluate(
        """(html) => {
      const t = document.createElement("template");
      t.innerHTML = html;
      return t.content.firstElementChild.isEqualNode(document.querySelector("#turn > form.question"));
    }""",
        served,
    )
    assert same, f"the server drew\n{served}\nthe script draws\n{drawn}"


def test_without_javascript_the_page_links_to_the_form_and_shows_no_dead_question(
    nojs_page: Page, live: LiveServer
) -> None:
    page = nojs_page
    page.goto(live.url)
    expect(page.locator("#turn").get_by_role("link", name="Make a referral")).to_be_visible()
    # not a form hidden by CSS (a text browser would show it): none at all, nor its "Loading…"
    expect(page.locator("#turn form, #turn input, #turn .resume-loading")).to_have_count(0)
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    # with scripts, the same HTML has the question (the scripts are held back: this is the HTML's)
    with_js = page.context.browser.new_context(**PHONE, storage_state=page.context.storage_state())
    try:
        other = with_js.new_page()
        Held(other, CHAT_SCRIPT)
        other.goto(live.url, wait_until="commit")
        expect(other.locator("#q-text")).to_have_text(QUESTION)
    finally:
        with_js.close()


def urlpath(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0]
