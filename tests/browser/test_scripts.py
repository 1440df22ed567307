"""Scripts a device may lack: a card in Tigrinya, Bengali or Punjabi draws its letters with the service's own
font for the script (this test machine has none, so without it they are empty boxes), and its buttons speak
its language; every letter of a card in a language written in the Arabic script is drawn (Urdu and Pashto
with the service's font, the others with the machine's own); the English chat page never asks for a font.
In a phone-sized Chromium."""

from __future__ import annotations

import re
import unicodedata

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.chat_driver import STATUS, Chat, shot
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

# The card's title drawn on a canvas in the font the page gives it, and in the same fonts less the
# service's one for its script (on this machine: empty boxes). Different pixels: its letters are real.
DRAWN_WITH_AND_WITHOUT = """(title, font) => {
  const family = getComputedStyle(title).fontFamily;
  const without = family.split(",").filter((f) => !f.includes(font)).join(",");
  const draw = (fonts) => {
    const canvas = document.createElement("canvas");
    canvas.width = 400; canvas.height = 48;
    const pen = canvas.getContext("2d");
    pen.font = "24px " + fonts;
    pen.fillText(title.textContent, 4, 34);
    return canvas.toDataURL();
  };
  return [family.includes(font), draw(family) !== draw(without)];
}"""


# Each letter drawn alone in the card's fonts, and characters no font has (empty boxes): the letters drawn as
# such a box, that is not drawn at all.
AS_BOXES = """async ([letters, family]) => {
  await document.fonts.load("40px " + family, letters.join(""));
  const draw = (letter) => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    const pen = canvas.getContext("2d");
    pen.font = "40px " + family;
    pen.fillText(letter, 8, 48);
    return canvas.toDataURL();
  };
  const boxes = new Set(["\\u0378", "\\uFDD0"].map(draw));
  return letters.filter((letter) => boxes.has(draw(letter)));
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
    assert title.evaluate(DRAWN_WITH_AND_WITHOUT, "NRM Ethiopic") == [True, True]  # real letters, not boxes
    shot(page, "card-ti.png")

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


@pytest.mark.parametrize(
    ("language", "font", "letters"),
    [("bn", "NRM Bengali", "[\u0980-\u09ff]"), ("pa", "NRM Gurmukhi", "[\u0a00-\u0a7f]")],
)
def test_a_card_in_bengali_or_punjabi_draws_its_letters(
    page: Page, live: LiveServer, language: str, font: str, letters: str
) -> None:
    fonts: list[str] = []
    page.on("request", lambda r: fonts.append(r.url) if "/fonts/" in r.url else None)
    page.goto(live.url)
    Chat(page).question()
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    assert fonts == []  # the English page asks for no font

    page.locator("#cards-open").click()
    page.locator("#person-language").select_option(language)
    consent = page.locator(f"#card-list > li[data-card=consent][lang={language}]")
    consent.locator("button.card-show").click()
    title = page.locator("#card-view-title")
    expect(title).to_have_text(re.compile(letters))
    text = title.inner_text()
    page.evaluate("document.fonts.ready")
    page.wait_for_function('([font, text]) => document.fonts.check(`20px "${font}"`, text)', arg=[font, text])
    script = font.removeprefix("NRM ").lower()
    assert any(url.endswith(f"{script}-400-normal.woff2") for url in fonts), fonts
    assert title.evaluate(DRAWN_WITH_AND_WITHOUT, font) == [True, True]  # real letters, not boxes
    expect(page.locator("#card-view .card-view-bar")).to_have_attribute("lang", language)
    page.wait_for_function('([font, text]) => document.fonts.check(`700 20px "${font}"`, text)', arg=[font, text])
    if language == "bn":
        shot(page, "card-bn.png")


@pytest.mark.parametrize("language", ["ar", "fa", "fa_AF", "ckb", "ur", "ps"])
def test_every_letter_of_a_card_in_the_arabic_script_is_drawn(page: Page, live: LiveServer, language: str) -> None:
    page.goto(live.url)
    Chat(page).question()
    expect(page.locator("#status")).to_have_text(STATUS["connected"])
    page.locator("#cards-open").click()
    page.locator("#person-language").select_option(language)
    items = page.locator(f"#card-list > li[lang={language.replace('_', '-')}]")
    expect(items).to_have_count(5)
    text = ""
    for index in range(5):  # every card, and its controls
        items.nth(index).locator("button.card-show").click()
        expect(page.locator("#card-view")).to_be_visible()
        text += page.locator("#card-view").inner_text()
        family = page.locator("#card-content").evaluate("e => getComputedStyle(e).fontFamily")
        page.locator("#card-view-close").click()
        expect(page.locator("#card-view")).to_be_hidden()
    letters = sorted({c for c in text if ord(c) > 0x7F and unicodedata.category(c)[0] in "LNP"})
    assert len(letters) > 25, letters
    assert page.evaluate(AS_BOXES, [letters, family]) == []  # none is an empty box
    assert ("NRM Arabic" in family) == (language in ("ur", "ps"))
