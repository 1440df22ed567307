"""Extraction covers the flows and cards, and the check catches what translators can get wrong."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from assistant import i18n_tools

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    path = tmp_path_factory.mktemp("pot") / "messages.pot"
    i18n_tools.extract(path)
    return polib.pofile(str(path))


def entry(template: polib.POFile, context: str | None, startswith: str) -> polib.POEntry:
    return next(e for e in template if e.msgctxt == context and e.msgid.startswith(startswith))


def test_extraction_gives_flow_strings_their_question_as_context(template: polib.POFile) -> None:
    question = entry(template, "nrm:pv-under-age", "Is the person")
    assert any("choice question" in comment for comment in question.comment.splitlines())
    assert entry(template, "nrm:pv-under-age", "Not sure")  # an answer label
    assert entry(template, "nrm:section:age", "Age")
    assert entry(template, "cards:consent", "Your choice")
    assert entry(template, None, "Choose an answer from the list")  # an engine error
    plural = entry(template, None, "Enter %(num)s character")
    assert plural.msgid_plural == "Enter %(num)s characters or fewer"
    assert not [e for e in template if any(part.startswith("/") for part, _line in e.occurrences)]


def test_the_committed_template_is_up_to_date(template: polib.POFile) -> None:
    committed = polib.pofile(str(ROOT / "translations" / "messages.pot"))
    assert {(e.msgctxt, e.msgid) for e in committed} == {(e.msgctxt, e.msgid) for e in template}


def make_catalogue(tmp_path: Path, template: polib.POFile, code: str, translate: dict[str, str]) -> Path:
    folder = tmp_path / code / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=utf-8",
        "X-Enabled": "yes",
        "X-Review-Status": "draft",
        **{f"X-Review-{section}": "draft" for section in ("Cards", "Flow", "Interface", "Staff")},
        "Plural-Forms": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    }
    for source in template:
        copy = polib.POEntry(msgctxt=source.msgctxt, msgid=source.msgid, msgid_plural=source.msgid_plural)
        if source.msgid_plural:
            copy.msgstr_plural = dict.fromkeys(range(3), "x %(num)s")
        else:
            copy.msgstr = translate.get(source.msgid, "x" + "".join(f" {p}" for p in _sources(source)))
        catalogue.append(copy)
    path = folder / "messages.po"
    catalogue.save(str(path))
    return path


def _sources(source: polib.POEntry) -> list[str]:
    return [m.group(0) for m in i18n_tools._PLACEHOLDER.finditer(source.msgid)]


def test_a_consistent_complete_catalogue_passes(tmp_path: Path, template: polib.POFile) -> None:
    path = make_catalogue(tmp_path, template, "pl", {})
    assert i18n_tools.check_catalogue(path, {(e.msgctxt, e.msgid) for e in template}) == []


def test_a_broken_placeholder_is_caught(tmp_path: Path, template: polib.POFile) -> None:
    path = make_catalogue(tmp_path, template, "pl", {"Section {section} of {sections}: {title}": "Sekcja {sekcja}"})
    problems = [str(p) for p in i18n_tools.check_catalogue(path, {(e.msgctxt, e.msgid) for e in template})]
    assert any("placeholders ['sekcja'] do not match ['section', 'sections', 'title']" in p for p in problems)


def test_wrong_plural_forms_and_an_incomplete_enabled_language_are_caught(
    tmp_path: Path, template: polib.POFile
) -> None:
    path = make_catalogue(tmp_path, template, "pl", {"Select an answer": ""})
    catalogue = polib.pofile(str(path))
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalogue.save()
    problems = [str(p) for p in i18n_tools.check_catalogue(path, {(e.msgctxt, e.msgid) for e in template})]
    assert any("Plural-Forms must have nplurals=3" in p for p in problems)
    assert any("enabled but incomplete: 1 untranslated or fuzzy" in p for p in problems)


def test_a_stale_catalogue_is_caught(tmp_path: Path, template: polib.POFile) -> None:
    path = make_catalogue(tmp_path, template, "pl", {})
    expected = {(e.msgctxt, e.msgid) for e in template} | {(None, "A new string")}
    problems = [str(p) for p in i18n_tools.check_catalogue(path, expected)]
    assert any("out of date with the template" in p for p in problems)


def test_update_keeps_each_catalogues_status_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text((ROOT / "translations/cy/LC_MESSAGES/messages.po").read_text())
    monkeypatch.setattr(i18n_tools, "CATALOGUES", tmp_path)
    monkeypatch.setattr(i18n_tools, "TEMPLATE", tmp_path / "messages.pot")
    i18n_tools.update()
    metadata = polib.pofile(str(folder / "messages.po")).metadata
    assert (metadata["X-Enabled"], metadata["X-Review-Status"]) == ("yes", "draft")
    assert metadata["X-Review-Cards"] == "draft"
