"""Honest status per language: each catalogue says, per section (cards, flow, interface, staff), whether it
is a draft, complete or reviewed; `flask i18n status` and the README say the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from flask import Flask

from assistant import i18n_tools
from assistant.i18n import describe, review_status

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_language_with_each_sections_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- languages:")[1].split("<!-- /languages -->")[0]
    assert i18n_tools.languages_table() in listed
    for path in i18n_tools.catalogue_files():
        assert f"| `{path.parent.parent.name}` |" in listed


def test_every_catalogue_declares_each_sections_status() -> None:
    for path in i18n_tools.catalogue_files():
        metadata = polib.pofile(str(path)).metadata
        # a language of the cards only says the status of its cards, all it translates
        sections = ("Cards",) if metadata["X-Enabled"] == "cards" else ("Cards", "Flow", "Interface", "Staff")
        for section in sections:
            assert metadata[f"X-Review-{section}"] in ("draft", "complete", "reviewed"), (path, section)


def test_a_sections_own_header_wins_and_anything_unknown_is_a_draft() -> None:
    headers = {"X-Review-Status": "complete", "X-Review-Cards": "reviewed", "X-Review-Staff": "checked-ish"}
    assert review_status(headers) == {
        "cards": "reviewed",
        "flow": "complete",
        "interface": "complete",
        "staff": "draft",
    }
    assert set(review_status({}).values()) == {"draft"}


def test_a_language_is_a_draft_where_its_sections_are() -> None:
    review = {"cards": "reviewed", "flow": "draft", "interface": "complete", "staff": "complete"}
    language = describe("ar", draft=True, review=review)
    assert language.draft_in("flow")
    assert not language.draft_in("cards")
    assert not language.draft_in("staff")


def entry(*files: str) -> polib.POEntry:
    return polib.POEntry(msgid="x", occurrences=[(f, "1") for f in files])


def test_strings_fall_in_the_section_where_they_are_used() -> None:
    assert i18n_tools.section_of(entry("flows/cards/victim.yaml")) == "cards"
    assert i18n_tools.section_of(entry("flows/nrm.yaml")) == "flow"
    assert i18n_tools.section_of(entry("assistant/web/labels.py", "assistant/templates/casework/queue.html")) == "staff"
    assert i18n_tools.section_of(entry("assistant/templates/chat.html", "assistant/templates/staff/base.html")) == (
        "interface"  # the chat uses it too
    )


def copy_of(code: str, tmp_path: Path) -> Path:
    folder = tmp_path / code / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(i18n_tools.CATALOGUES / code / "LC_MESSAGES" / "messages.po", folder / "messages.po")
    return folder / "messages.po"


def test_a_section_with_gaps_is_reported_as_a_draft_whatever_it_declares(tmp_path: Path) -> None:
    path = copy_of("cy", tmp_path)
    catalogue = polib.pofile(str(path))
    catalogue.metadata.update({"X-Review-Cards": "reviewed", "X-Review-Staff": "complete"})
    for entry in catalogue:  # every staff string translated...
        if i18n_tools.section_of(entry) == "staff" and entry.msgid_plural:
            entry.msgstr_plural = {k: v or "x %(num)d" for k, v in entry.msgstr_plural.items()}
        elif i18n_tools.section_of(entry) == "staff":
            entry.msgstr = entry.msgstr or "x"
    catalogue.save()
    assert {p.section: p.status for p in i18n_tools.review(path)}["staff"] == "complete"
    next(e for e in catalogue if i18n_tools.section_of(e) == "staff" and not e.msgid_plural).msgstr = ""
    catalogue.save()  # ...but one
    said = {part.section: part for part in i18n_tools.review(path)}
    assert said["cards"].status == "reviewed"
    assert said["staff"].status == "draft"
    assert said["staff"].translated == said["staff"].total - 1


def test_the_check_wants_every_sections_header_with_a_known_status(tmp_path: Path) -> None:
    path = copy_of("cy", tmp_path)
    catalogue = polib.pofile(str(path))
    del catalogue.metadata["X-Review-Flow"]
    catalogue.metadata["X-Review-Cards"] = "nearly"
    catalogue.save()
    expected = {(e.msgctxt, e.msgid) for e in polib.pofile(str(i18n_tools.TEMPLATE))}
    problems = [str(p) for p in i18n_tools.check_catalogue(path, expected)]
    assert any("must say X-Review-Flow" in p for p in problems)
    assert any("X-Review-Cards must be one of draft, complete, reviewed" in p for p in problems)


@pytest.mark.usefixtures("app")
def test_flask_i18n_status_reports_each_language_and_section(app: Flask) -> None:
    output = app.test_cli_runner().invoke(args=["i18n", "status"]).output
    for path in i18n_tools.catalogue_files():
        assert f"{path.parent.parent.name:<8} offered" in output
    assert "  cards      draft     100%  35/35" in output  # 29 strings of the cards, 6 of their controls
    for section in ("flow", "interface", "staff"):
        assert f"  {section:<10} draft " in output
