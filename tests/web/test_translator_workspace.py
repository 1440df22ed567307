"""The translator's workspace over HTTP: who may see which language, proposing, reviewing, the audit
entries, the filters and the previews."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from sqlalchemy import select

from assistant.extensions import db
from assistant.storage.models import AuditEntry, TranslationProposal
from tests.conftest import Staff
from tests.translation.helpers import post, string_form, translator

QUESTION = "What is your reference for this case?"  # the NRM flow's first question
WELSH_PAGE = "/translate/cy?group=nrm:report"


def _section(page: str, fragment: str) -> str:
    """The workspace's section for the string whose English or proposal contains ``fragment``."""
    return next(s for s in re.findall(r'<section class="tr-string".*?</section>', page, re.S) if fragment in s)


def _question_text(app: Flask) -> str:
    with app.app_context():
        engine = app.extensions["flows"].current("nrm")
        return str(engine.flow.questions[engine.flow.start].text)


@pytest.mark.parametrize("role", ["first-responder", "caseworker", "panel", "analyst", "admin"])
def test_no_other_role_sees_the_workspace(staff: Staff, role: str) -> None:
    client = staff.client(role)
    for url in ("/translate/", "/translate/cy", "/translate/cy/preview/nrm/reference", "/translate/cy/cards/consent"):
        assert client.get(url).status_code == 403, (role, url)


def test_a_translator_sees_only_their_languages(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "cy")
    home = client.get("/translate/")
    assert home.status_code == 200
    assert 'href="/translate/cy"' in home.text
    assert 'href="/translate/ar"' not in home.text
    assert client.get("/translate/cy").status_code == 200
    for url in ("/translate/ar", "/translate/ar/preview/nrm/reference", "/translate/ar/cards/consent"):
        assert client.get(url).status_code == 403, url
    page = client.get(WELSH_PAGE).text
    found = {**string_form(page, "reference"), "translation": "Synthetig"}
    assert post(client, "/translate/ar/propose", found, page).status_code == 403


def test_a_translator_without_languages_is_told_to_ask(app: Flask, staff: Staff) -> None:
    client = translator(app, staff)
    assert "No languages are on your account yet" in client.get("/translate/").text


def test_the_question_sits_with_its_hint_options_and_english(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "cy")
    page = client.get(WELSH_PAGE).text
    question = _question_text(app)
    assert html.escape(question, quote=False) in page
    assert 'href="/translate/cy/preview/nrm/' in page
    assert 'lang="cy"' in page


def test_proposing_then_another_translator_reviews(app: Flask, staff: Staff) -> None:
    first, second = translator(app, staff, "cy"), translator(app, staff, "cy")
    page = first.get(WELSH_PAGE).text
    key = string_form(page, "reference")["key"]
    response = post(first, "/translate/cy/propose", {"key": key, "translation": "Cyfeirnod synthetig"}, page)
    assert response.status_code == 302
    page = first.get(WELSH_PAGE).text
    assert "Cyfeirnod synthetig" in page
    assert "Accept the proposal as reviewed" not in _section(page, "Cyfeirnod synthetig")  # not on one's own
    assert "Another translator will review your proposal." in _section(page, "Cyfeirnod synthetig")
    others = second.get("/translate/cy?state=proposed").text
    assert "Accept the proposal as reviewed" in _section(others, "Cyfeirnod synthetig")
    own = string_form(others, "Cyfeirnod synthetig")
    refused = post(first, "/translate/cy/review", own, page)  # still refused by the server, when forged
    assert refused.status_code == 400
    assert "Another translator must review your proposal." in refused.text
    page = second.get("/translate/cy?state=proposed").text
    assert post(second, "/translate/cy/review", string_form(page, "Cyfeirnod synthetig"), page).status_code == 302
    assert "Cyfeirnod synthetig" in second.get("/translate/cy?state=reviewed").text
    with app.app_context():
        rows = list(db.session.scalars(select(TranslationProposal).order_by(TranslationProposal.id)))
        assert [(r.kind, r.forms) for r in rows] == [
            ("proposal", ["Cyfeirnod synthetig"]),
            ("review", ["Cyfeirnod synthetig"]),
        ]
        trail = [
            (e.action, e.outcome, e.target) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
        ours = [entry for entry in trail if entry[0].startswith("translation-")]
        assert ours == [
            ("translation-propose", "ok", f"translation:{rows[0].id}"),
            ("translation-review", "refused", f"translation:{rows[0].id}"),
            ("translation-review", "ok", f"translation:{rows[1].id}"),
        ]


def test_the_audit_trail_names_the_translation_actions(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "cy")
    page = client.get(WELSH_PAGE).text
    post(client, "/translate/cy/propose", {**string_form(page, "reference"), "translation": "Synthetig"}, page)
    admin = staff.client("admin")
    assert "Proposed a translation" in admin.get("/admin/audit?action=translation-propose").text


def test_a_proposal_must_keep_the_placeholders_and_loses_nothing_typed(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "cy")
    page = client.get("/translate/cy?q=%25(name)s&group=").text
    found = string_form(page, "%(name)s")
    response = post(client, "/translate/cy/propose", {**found, "translation": "Heb y dalfan"}, page)
    assert response.status_code == 400
    assert "Keep the placeholders as they are in English" in response.text
    assert "Heb y dalfan</textarea>" in response.text
    empty = post(client, "/translate/cy/propose", {**found, "translation": "  "}, page)
    assert empty.status_code == 400
    assert "Enter the translation." in empty.text
    with app.app_context():
        assert db.session.scalar(select(TranslationProposal.id)) is None


def test_filters_and_search(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "cy")
    assert "No strings match." in client.get("/translate/cy?state=proposed").text
    found = client.get("/translate/cy?q=Quick+exit").text
    assert "Quick exit" in found
    assert "No strings match." not in found
    assert "No strings match." in client.get("/translate/cy?q=zzzz-nothing-like-this").text


def test_a_group_is_paged_to_keep_the_page_light(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "cy")
    first = client.get("/translate/cy?group=ui:admin").text
    assert first.count('<section class="tr-string"') == 20
    assert "page=2" in first
    assert client.get("/translate/cy?group=ui:admin&page=2").text.count('<section class="tr-string"') > 0


def test_the_preview_shows_a_question_in_the_language_without_a_referral(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "ar")
    response = client.get("/translate/ar/preview/nrm/fr-location")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert 'class="page-title"' in response.text
    assert " disabled>" in response.text
    assert client.get("/translate/ar/preview/nrm/no-such-question").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "draft-start")) is None


def test_the_preview_shows_a_card_as_the_person_sees_it(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "ar")
    response = client.get("/translate/ar/cards/emergency")
    assert response.status_code == 200
    assert 'class="card-content"' in response.text
    assert 'dir="rtl"' in response.text
    assert client.get("/translate/ar/cards/no-such-card").status_code == 404
    with app.app_context():
        draft = app.extensions["languages"]["ar"].draft_in("cards")
    assert ('class="card-draft"' in response.text) == draft  # as the chat shows a draft card


def test_every_question_and_card_can_be_previewed(app: Flask, staff: Staff) -> None:
    client = translator(app, staff, "cy")
    with app.app_context():
        flow = app.extensions["flows"].current("nrm").flow
        questions, cards = list(flow.questions), app.extensions["cards"].ids()
    assert len(questions) > 20
    for question_id in questions:
        assert client.get(f"/translate/cy/preview/nrm/{question_id}").status_code == 200, question_id
    for card_id in cards:
        assert client.get(f"/translate/cy/cards/{card_id}").status_code == 200, card_id
    pages = client.get("/translate/cy?group=cards").text + client.get("/translate/cy?group=cards&page=2").text
    assert set(re.findall(r'href="/translate/cy/cards/([\w-]+)"', pages)) == set(cards)  # 29 strings: two pages


def test_every_part_of_the_service_has_a_name_in_words(app: Flask, staff: Staff) -> None:
    page = translator(app, staff, "cy").get("/translate/cy").text
    chooser = re.search(r'<select id="group".*?</select>', page, re.S)
    assert chooser
    names = re.findall(r'<option value="ui:[\w]+"[^>]*>([^<]*)</option>', chooser.group(0))
    assert len(names) > 10
    raw = [name for name in names if re.fullmatch(r"[a-z_]+", name)]  # a module's name, not words
    assert not raw, raw
