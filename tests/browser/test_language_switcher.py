"""The language switcher within reach on a phone (390 x 844) in every language: on the chat after a few
answers, on the form without JavaScript and on the staff pages, with the header on one line, and axe at 0
violations. Every value typed is synthetic."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import Chat
from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_staff_pages import sign_in_as
from tests.scenarios import ROUTES

pytestmark = pytest.mark.browser

LANGUAGES = [
    "en",
    "am",
    "ar",
    "bn",
    "ckb",
    "cy",
    "fa",
    "fa_AF",
    "fr",
    "ku",
    "pa",
    "pl",
    "ps",
    "pt",
    "ro",
    "so",
    "sq",
    "ti",
]
LANGUAGES += ["ur", "vi", "zh_Hans"]
# One row: the quick exit (44 px) or the sign-out link, and the padding around it.
ONE_LINE = 64


def assert_in_reach_on_one_line(page: Page, switcher: str, where: str) -> None:
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(page.locator(switcher)).to_be_in_viewport(ratio=1)
    row = page.locator(".masthead-inner").bounding_box()
    assert row is not None
    assert row["height"] <= ONE_LINE, f"{where}: the header wraps ({row['height']} px)"
    name = page.locator(".service-name")
    assert name.evaluate("e => e.getClientRects().length") == 1, where
    # the label is read in full, or left to screen readers; never cut to a letter or two
    label = page.locator(".lang-label")
    if label.count():
        shown, needed = label.evaluate("e => [e.clientWidth, e.scrollWidth]")
        assert shown <= 1 or needed <= shown + 1, f"{where}: the language label is cut ({shown} of {needed} px)"


def test_the_chat_keeps_the_switcher_in_reach_after_a_few_answers_in_every_language(
    page: Page, live: LiveServer
) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer("reference", "SYN-SWITCH-0001")
    chat.answer()
    chat.answer()
    for code in LANGUAGES:
        page.goto(f"{live.url}/?lang={code}")
        expect(page.locator("#turn form.question")).to_be_visible()
        assert_in_reach_on_one_line(page, "#ui-language", f"the chat in {code}")
    assert_accessible(page, "the chat in Chinese, scrolled")


def test_the_form_and_the_staff_pages_have_a_switcher_in_reach_in_every_language(
    browser: Any, live: LiveServer
) -> None:
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15_000)
    worker = sign_in_as(context, live, "first-responder", "salvation-army")
    caseworker_context = browser.new_context(**PHONE)
    caseworker_context.set_default_timeout(15_000)
    caseworker = sign_in_as(caseworker_context, live, "caseworker", "single-competent-authority")
    for code in LANGUAGES:
        worker.goto(f"{live.url}/form/question?lang={code}")
        assert_in_reach_on_one_line(worker, "#page-language", f"the form in {code}")
        worker.goto(f"{live.url}/referrals/?lang={code}")
        assert_in_reach_on_one_line(worker, "#page-language", f"My referrals in {code}")
        caseworker.goto(f"{live.url}/casework/?lang={code}")
        assert_in_reach_on_one_line(caseworker, "#page-language", f"the intake queue in {code}")
    assert_accessible(caseworker, "the intake queue in Chinese")

    # choosing a language and pressing its button (a plain form: no script needed) shows the same page in it
    worker.goto(f"{live.url}/referrals/?lang=en")
    worker.locator("#page-language").select_option("cy")
    worker.locator(".lang-go").click()
    expect(worker.locator("html")).to_have_attribute("lang", "cy")
    assert "/referrals/" in worker.url
    assert_accessible(worker, "My referrals in Welsh")
    context.close()
    caseworker_context.close()
