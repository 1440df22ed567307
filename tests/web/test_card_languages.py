"""A card-only language (`X-Enabled: cards`): the person's cards come in it, with their own controls, and
the person's picker offers it; the worker's language switcher, the `languages` event, `?lang=` and the
conversation's language do not. Its catalogue is made in a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from assistant import i18n_tools
from assistant.i18n import describe
from tests.conftest import Chat, Staff
from tests.i18n.catalogues import card_catalogue, copy_of
from tests.translation.helpers import translator

MALAYALAM = "ml"


@pytest.fixture
def malayalam(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Malayalam offered for the cards only, as a catalogue saying `X-Enabled: cards` makes it at start-up."""
    language = describe(MALAYALAM, draft=True, review={"cards": "draft"}, cards_only=True)
    monkeypatch.setitem(app.extensions["card_only_languages"], MALAYALAM, language)


@pytest.fixture
def catalogues(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, malayalam: None) -> Path:
    """The catalogues folder with Malayalam's card catalogue beside Welsh's."""
    card_catalogue(tmp_path, MALAYALAM)
    copy_of(tmp_path, "cy")
    (tmp_path / "messages.pot").write_bytes(i18n_tools.TEMPLATE.read_bytes())
    monkeypatch.setitem(app.config, "BABEL_TRANSLATION_DIRECTORIES", str(tmp_path))
    monkeypatch.setattr(i18n_tools, "CATALOGUES", tmp_path)
    return tmp_path


@pytest.mark.usefixtures("malayalam")
def test_a_card_comes_in_a_card_only_language_with_its_draft_notice_and_font(chat: Chat) -> None:
    chat.start(language="en")
    answer = chat.call("card", {"card": "emergency", "language": MALAYALAM})
    assert answer["ok"], answer
    card = answer["card"]
    assert (card["language"], card["dir"], card["draft"]) == (MALAYALAM, "ltr", True)
    assert card["draft_notice"]
    assert set(card["controls"]) == {"close", "quick_exit", "quick_exit_hint", "phone", "call"}
    assert card["font"] == "/static/fonts/malayalam.css"  # a script a device may lack
    assert chat.call("card", {"card": "consent", "language": "ml-IN"})["card"]["language"] == MALAYALAM


@pytest.mark.usefixtures("malayalam")
def test_a_card_only_language_is_refused_for_anything_but_a_card(chat: Chat, staff: Staff) -> None:
    assert chat.call("start", {"flow": "nrm", "language": MALAYALAM})["error"]["code"] == "unsupported_language"
    chat.start(language="en")
    changed = chat.send("language", language=MALAYALAM)
    assert changed["error"]["code"] == "unsupported_language"
    codes = [language["code"] for language in chat.call("languages", {})["languages"]]
    assert MALAYALAM not in codes
    assert "cy" in codes
    worker = staff.client("first-responder")
    for url in ("/?lang=ml", "/form/?lang=ml", "/referrals/?lang=ml"):
        assert '<html lang="en"' in worker.get(url).text, url


@pytest.mark.usefixtures("malayalam")
def test_the_persons_picker_offers_it_and_the_workers_switcher_does_not(staff: Staff) -> None:
    client = staff.client("first-responder")
    page = client.get("/").text
    person = re.search(r'<select class="select" id="person-language".*?</select>', page, re.S)
    worker = re.search(r'<select class="lang-select" id="ui-language".*?</select>', page, re.S)
    assert person
    assert worker
    assert '<option value="ml" lang="ml" dir="ltr">മലയാളം \N{EN DASH} Malayalam</option>' in person.group(0)
    assert '<option value="cy"' in person.group(0)
    assert 'value="ml"' not in worker.group(0)
    listed = re.search(r'<script type="application/json" id="languages">(.*?)</script>', page, re.S)
    assert listed
    assert '"ml"' not in listed.group(1)  # the languages the worker's switcher is drawn from
    for url in ("/form/", "/referrals/"):
        assert 'value="ml"' not in client.get(url).text, url


def test_the_workspace_of_a_card_language_is_its_cards(app: Flask, staff: Staff, catalogues: Path) -> None:
    client = translator(app, staff, MALAYALAM)
    home = client.get("/translate/").text
    assert 'href="/translate/ml"' in home
    page = client.get("/translate/ml").text
    groups = re.search(r'<select[^>]*name="group".*?</select>', page, re.S)
    assert groups
    # everything, or the cards: the only section it translates
    assert re.findall(r'<option value="([^"]*)"', groups.group(0)) == ["", "cards"]
    assert "ml: " in page  # its translations, beside the English
    assert '<link rel="stylesheet" href="/static/fonts/malayalam.css">' in page  # drawn in their script
    controls = client.get("/translate/ml?group=cards&page=2").text
    assert "card-controls" in controls
    assert "Quick exit" in controls
    preview = client.get("/translate/ml/cards/emergency")
    assert preview.status_code == 200
    assert 'class="card-draft"' in preview.text
    assert '<link rel="stylesheet" href="/static/fonts/malayalam.css">' in preview.text


def test_flask_i18n_status_shows_a_card_languages_scope(app: Flask, catalogues: Path) -> None:
    output = app.test_cli_runner().invoke(args=["i18n", "status"]).output
    assert f"{MALAYALAM:<8} offered for the cards only" in output
    assert re.search(r"^cy +offered$", output, re.M)
    cards = re.search(r"^ml .*?\n  cards +draft +100%  (\d+)/\1$", output, re.M)
    assert cards, output
