"""Scripts a phone may lack: a card in Tigrinya draws its letters with the service's own Ethiopic font (this
test machine has none, so without it they are empty boxes), and its buttons speak Tigrinya; the English chat
page never asks for a font. In a phone-sized Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.chat_driver import STATUS, Chat
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

# The card's title drawn on a canvas in the font the page gives it, and in the same fonts less the
# service's Ethiopic one (on this machine: empty boxes). Different pixels: its letters are real.
DRAWN_WITH_AND_WITHOUT = """(title) => {
  const family = getComputedStyle(title).fontFamily;
  const without = family.split(",").filter((f) => !f.includes("NRM Ethiopic")).join(",");
  const draw = (fonts) => {
    const canvas = document.createElement("canvas");
    canvas.width = 400; canvas.height = 48;
    const pen = canvas.getContext("2d");
    pen.font = "24px " + fonts;
    pen.fillText(title.textContent, 4, 34);
    return canvas.toDataURL();
  };
  return [family.includes("NRM Ethiopic"), draw(family) !== draw(without)];
}"""


def test_a_card_in_tigrinya_draws_its_letters_and_its_buttons_are_tigrinya(page: Page, live: LiveServer) -> None:
    fonts: list[str] = []
    page.on("request", lambda r: fonts.append(r.url) if "/fonts/" in r.url else None)
    page.goto(live.url)
    Chat(page).question()
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    assert fonts == []  # the English page asks for no font

    page.locator("#cards-open").click()
    page.locator("#person-language").select_option("ti")
    emergency = page.locator("#card-list > li[data-card=emergency][lang=ti]")
    emergency.locator("button.card-show").click()
    title = page.locator("#card-view-title")
    expect(title).to_have_text("ሕጂ ሓገዝ")
    page.evaluate("document.fonts.ready")
    page.wait_for_function("document.fonts.check('20px \"NRM Ethiopic\"', 'ሕጂ ሓገዝ')")
    assert any(url.endswith("ethiopic-400-normal.woff2") for url in fonts), fonts
    assert title.evaluate(DRAWN_WITH_AND_WITHOUT) == [True, True]  # real letters, not a row of boxes

    # the card's own controls are in the card's language, laid out in its direction
    close = page.locator("#card-view-close")
    expect(close).to_have_text("ዕጸዉ")
    expect(page.locator("#card-view .card-view-bar")).to_have_attribute("lang", "ti")
    expect(page.locator("#card-view .quick-exit")).to_contain_text("ቅልጡፍ ምውጻእ")
    expect(page.locator("#card-content .tel").first).to_contain_text("999")
    assert page.locator("#card-content .tel").first.get_attribute("lang") == "ti"


def test_requests_for_fonts_only_come_from_pages_in_a_script_that_needs_one(page: Page, live: LiveServer) -> None:
    asked: list[Request] = []
    page.on("request", lambda r: asked.append(r) if "font" in r.url else None)
    page.goto(f"{live.url}/?lang=am")
    expect(page.locator("#turn form.question")).to_be_visible()
    page.evaluate("document.fonts.ready")
    page.wait_for_function("document.fonts.check('20px \"NRM Ethiopic\"', 'ቋንቋ')")
    assert any(r.url.endswith("/static/fonts/ethiopic.css") for r in asked)
    assert page.locator("h1").evaluate("e => getComputedStyle(e).fontFamily").count("NRM Ethiopic") == 1
