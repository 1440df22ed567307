"""The central unit's side in a real browser at a phone viewport: a caseworker decides, the panel
reviews, the first responder sees the outcome and asks for reconsideration; axe checks every page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import socketio
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import LIST_VALUES
from tests.browser.conftest import LiveServer, sign_in, socket_headers
from tests.browser.test_accessibility import assert_accessible
from tests.e2e.conftest import create_account
from tests.scenarios import ROUTES, answer_for, synthetic_answer

pytestmark = pytest.mark.browser


def submit_by_socket(page: Page, live: LiveServer, route: str) -> str:
    """A whole referral, answered over a socket in the page's signed-in session; returns its reference."""
    client = socketio.Client(reconnection=False)
    client.connect(live.url, transports=["websocket"], headers=socket_headers(page), wait_timeout=10)
    try:
        turn = client.call("start", {"flow": "nrm", "language": "en"}, timeout=10)
        conversation = turn["conversation_id"]
        fixed = ROUTES[route]
        while "prompt" in turn:
            prompt = turn["prompt"]
            qid = prompt["question_id"]
            value = answer_for(  # a group's answer field by field, from the route where it fixes one
                prompt, fixed, answer=lambda p: "seen" if p["kind"] == "info" else synthetic_answer(p, LIST_VALUES)
            )
            turn = client.call(
                "answer",
                {
                    "conversation_id": conversation,
                    "question_id": qid,
                    "value": value,
                    "client_msg_id": uuid.uuid4().hex,
                },
                timeout=10,
            )
            assert turn["ok"], turn
        done = client.call("submit", {"conversation_id": conversation, "client_msg_id": "submit"}, timeout=10)
    finally:
        client.disconnect()
    return str(done["submitted"]["reference"])


def sign_in_as(context: Any, live: LiveServer, role: str, organisation: str) -> Page:
    page = context.new_page()
    sign_in(page, live, create_account(live.env, role, organisation))
    return page


def test_a_decision_from_the_queue_to_the_panel_and_back_to_the_first_responder(
    page: Page, browser: Any, live: LiveServer
) -> None:
    reference = submit_by_socket(page, live, "child")
    dtn = submit_by_socket(page, live, "adult-refusal-not-cooperating")

    unit = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    unit.set_default_timeout(15_000)
    caseworker = sign_in_as(unit, live, "caseworker", "single-competent-authority")
    expect(caseworker.locator("h1")).to_have_text("Intake queue")
    expect(caseworker.locator("main table")).to_contain_text(reference)
    assert_accessible(caseworker, "the intake queue")
    caseworker.get_by_label("Type", exact=True).select_option("dtn")
    caseworker.get_by_role("button", name="Apply filters").click()
    expect(caseworker.locator("main table")).to_contain_text(dtn)
    expect(caseworker.locator("main table")).not_to_contain_text(reference)

    caseworker.goto(f"{live.url}/casework/referrals/{reference}")
    caseworker.get_by_role("button", name="Claim this referral").click()
    expect(caseworker.get_by_text("You have claimed this referral.")).to_be_visible()
    assert_accessible(caseworker, "a claimed referral with its decision form")
    caseworker.get_by_label("Negative Reasonable Grounds decision").check()
    caseworker.get_by_role("button", name="Record the decision").click()
    expect(caseworker.locator(".error-summary")).to_contain_text("Enter the reasons.")
    assert_accessible(caseworker, "the decision form's error", targets=False)
    caseworker.get_by_label("Reasons").fill("Synthetic reasons for the browser test.")
    caseworker.get_by_role("button", name="Record the decision").click()
    expect(caseworker.locator("main")).to_contain_text("Negative Reasonable Grounds decision with the panel")

    panel = sign_in_as(unit, live, "panel", "independent-panel")
    expect(panel.locator("main table")).to_contain_text(reference)
    assert_accessible(panel, "the panel's queue")
    panel.get_by_role("link", name=reference).click()
    expect(panel.locator("main")).to_contain_text("Synthetic reasons for the browser test.")
    assert_accessible(panel, "a decision before the panel")
    panel.get_by_label("Uphold the negative decision").check()
    panel.get_by_label("Reasons").fill("Synthetic panel reasons.")
    panel.get_by_role("button", name="Record the review").click()
    expect(panel.locator("main .notice")).to_contain_text("Negative decision upheld by the panel")
    expect(panel.locator("main")).to_contain_text("There are no decisions to review.")
    unit.close()

    page.goto(f"{live.url}/referrals/")
    assert_accessible(page, "My referrals")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("main")).to_contain_text("Negative decision upheld by the panel")
    expect(page.locator("main")).to_contain_text("Synthetic panel reasons.")
    assert_accessible(page, "a referral's status for its first responder")
    page.get_by_label("Ask for the decision to be reconsidered").fill("Synthetic new information.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("main .notice")).to_have_text("Your request for reconsideration has been sent.")
    expect(page.locator("main")).to_contain_text("Awaiting Reasonable Grounds decision")


def test_the_admin_and_statistics_pages_are_accessible(browser: Any, live: LiveServer) -> None:
    staff = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    staff.set_default_timeout(15_000)
    admin = sign_in_as(staff, live, "admin", "single-competent-authority")
    expect(admin.locator("h1")).to_have_text("Users")
    assert_accessible(admin, "the users page")
    admin.goto(f"{live.url}/admin/users/new")
    assert_accessible(admin, "the new user form")
    make_a_liaison(admin, live)
    admin.goto(f"{live.url}/admin/audit")
    expect(admin.locator("main table")).to_contain_text("Signed in")
    assert_accessible(admin, "the audit trail")
    analyst = sign_in_as(staff, live, "analyst", "single-competent-authority")
    expect(analyst.locator("h1")).to_have_text("Statistics")
    assert_accessible(analyst, "the statistics page")
    staff.close()


def make_a_liaison(admin: Page, live: LiveServer) -> None:
    """A police liaison's account made on the form (refused first for want of a force), then its force
    changed on the account's page; axe checks each screen, and each fits the phone."""
    admin.get_by_label("Work email address").fill(f"liaison-{uuid.uuid4().hex[:8]}@example.org")
    admin.get_by_label("Full name").fill("Synthetic Liaison")
    admin.get_by_role("radio", name="Police liaison").check()
    admin.get_by_label("Organisation").select_option("police-kent")
    admin.get_by_role("button", name="Create the account").click()
    expect(admin.locator(".error-summary")).to_contain_text("Choose the police force of this police liaison.")
    assert_accessible(admin, "the new user form with an error")
    admin.get_by_label("Police force (police liaisons only)").select_option("kent")
    admin.get_by_role("button", name="Create the account").click()
    expect(admin.locator("main")).to_contain_text("It is shown only once")  # the generated password's page
    admin.goto(f"{live.url}/admin/users?role=police-liaison")
    admin.get_by_role("link", name="Police force: Kent Police Synthetic Liaison").click()
    expect(admin.locator("h1")).to_have_text("Police force of Synthetic Liaison")
    assert_accessible(admin, "a liaison's police force")
    admin.get_by_label("Police force", exact=True).select_option("")
    admin.get_by_role("button", name="Save the police force").click()
    expect(admin.locator(".error-summary")).to_contain_text("Choose the police force of this police liaison.")
    assert_accessible(admin, "a liaison's police force with an error")
    assert admin.evaluate(OVERFLOW)["scroll"] <= 390
    admin.get_by_label("Police force", exact=True).select_option("essex")
    admin.get_by_role("button", name="Save the police force").click()
    expect(admin.locator(".notice")).to_contain_text("Synthetic Liaison now sees the reports passed to Essex Police.")


# Every element that sticks out of the viewport, for the failure message: the first few suffice.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + (e.className && typeof e.className === "string"
    ? "." + e.className.trim().split(/\\s+/).join(".") : "") + ' "' + (e.textContent || "").trim().slice(0, 30) + '"';
  const out = [...document.querySelectorAll("body *")]
    .map((e) => ({e, r: e.getBoundingClientRect()}))
    .filter(({r}) => r.width && (r.right > width + 0.5 || r.left < -0.5))
    .filter(({e}) => !e.classList.contains("skip-link"))
    .map(({e, r}) => `${name(e)}: ${Math.round(r.left)} to ${Math.round(r.right)}`);
  return {scroll: document.documentElement.scrollWidth, width, inner: window.innerWidth, out: out.slice(0, 5)};
}"""
# Links and buttons in the tables that are shorter than 44 CSS pixels (the service's own minimum).
SHORT_ACTIONS = """() => [...document.querySelectorAll("main table a[href], main table button")]
  .filter((e) => !e.closest(".vh"))
  .map((e) => ({e, r: e.getBoundingClientRect()}))
  .filter(({r}) => r.height < 44)
  .map(({e, r}) => `${e.textContent.trim()}: ${Math.round(r.height)}`)"""

FOCUSED = """() => { const e = document.activeElement, style = getComputedStyle(e);
  return [e.textContent.trim(), style.color, style.backgroundColor]; }"""


def propose_negative(page: Page, live: LiveServer, reference: str) -> None:
    page.goto(f"{live.url}/casework/referrals/{reference}")
    page.get_by_role("button", name="Claim this referral").click()
    page.get_by_label("Negative Reasonable Grounds decision").check()
    page.get_by_label("Reasons").fill("Synthetic reasons.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Negative Reasonable Grounds decision with the panel")


def test_no_staff_page_is_wider_than_a_phone_in_either_direction(browser: Any, live: LiveServer) -> None:
    """At 390 px every staff page fits the screen, left to right and right to left: a table's rows
    stack, and nothing inside a table (not even visually hidden text) widens the page."""

    def phone() -> Any:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context.set_default_timeout(15_000)
        return context

    first_responder = sign_in_as(phone(), live, "first-responder", "salvation-army")
    references = [submit_by_socket(first_responder, live, "child") for _ in range(3)]
    client = socketio.Client(reconnection=False)  # a draft, left unfinished
    client.connect(live.url, transports=["websocket"], headers=socket_headers(first_responder), wait_timeout=10)
    client.call("start", {"flow": "nrm", "language": "en"}, timeout=10)
    client.disconnect()
    caseworker = sign_in_as(phone(), live, "caseworker", "single-competent-authority")
    propose_negative(caseworker, live, references[0])
    caseworker.goto(f"{live.url}/casework/referrals/{references[1]}")
    caseworker.get_by_role("button", name="Claim this referral").click()
    panel = sign_in_as(phone(), live, "panel", "independent-panel")
    admin = sign_in_as(phone(), live, "admin", "single-competent-authority")
    analyst = sign_in_as(phone(), live, "analyst", "single-competent-authority")
    admin.goto(f"{live.url}/admin/users")
    disable = admin.locator("main table a[href$='/disable']").first.get_attribute("href")
    pages = [
        (first_responder, "/referrals/"),
        (caseworker, "/casework/"),
        (panel, "/panel/"),
        (admin, "/admin/users"),
        (admin, "/admin/users/new"),
        (admin, disable),
        (admin, "/admin/audit"),
        (analyst, "/statistics/"),
    ]
    for page, path in pages:
        for language in ("en", "ar"):
            page.goto(f"{live.url}{path}{'&' if '?' in path else '?'}lang={language}")
            found = page.evaluate(OVERFLOW)
            assert found["scroll"] <= found["width"] == found["inner"] == 390, (path, language, found)
            assert not page.evaluate(SHORT_ACTIONS), (path, language)
    admin.goto(f"{live.url}/admin/users")
    admin.keyboard.press("Tab")  # the skip link
    admin.keyboard.press("Tab")  # the language switcher, first in the header
    admin.keyboard.press("Tab")  # and its button
    for _ in range(3):  # Sign out, then the navigation's links: dark text on the yellow, as GOV.UK's header
        admin.keyboard.press("Tab")
        name, colour, background = admin.evaluate(FOCUSED)
        assert (colour, background) == ("rgb(11, 12, 12)", "rgb(255, 221, 0)"), name
    admin.set_viewport_size({"width": 1024, "height": 768})  # a wide screen sees the ordinary table
    assert admin.locator("main table td").first.evaluate("(e) => getComputedStyle(e).display") == "table-cell"
    for page in (first_responder, caseworker, panel, admin, analyst):
        page.context.close()
