"""`flask i18n export-reviews` and `flask i18n merge-reviews`: what translators did becomes a .po update
that gettext and Babel read, that merges into a catalogue, and whose export is audited."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from flask import Flask
from sqlalchemy import select

from assistant.config import ROOT
from assistant.extensions import db
from assistant.storage.models import AuditEntry, User
from assistant.translation import proposals
from assistant.translation.catalogue import texts
from tests.conftest import Staff

REVIEWED, PENDING = "Cyfeirnod wedi'i adolygu", "Cynnig heb ei adolygu"


def _text(msgid: str, context: str | None = None) -> object:
    return next(t for t in texts("cy") if t.msgid == msgid and t.context == context)


@pytest.fixture
def work(app: Flask, staff: Staff) -> dict[str, object]:
    """One string proposed and reviewed by two translators, one proposed only, in Welsh."""
    first, second = staff.user("translator"), staff.user("translator")
    with app.app_context():
        a, b = db.session.get(User, first.id), db.session.get(User, second.id)
        assert a is not None
        assert b is not None
        reviewed, pending = _text("Quick exit"), _text("Sign out")
        proposal = proposals.propose("cy", reviewed.key, [REVIEWED], a)  # type: ignore[attr-defined]
        proposals.review("cy", reviewed.key, proposal.id, b)  # type: ignore[attr-defined]
        proposals.propose("cy", pending.key, [PENDING], a)  # type: ignore[attr-defined]
    return {"reviewed": reviewed, "pending": pending}


def test_the_export_holds_reviewed_strings_and_babel_reads_it(app: Flask, work: dict[str, object]) -> None:
    with app.app_context():
        from assistant.translation.export import export

        text, count = export("cy")
    assert count == 1
    entries = {m.id: m for m in read_po(io.StringIO(text)) if m.id}
    assert entries["Quick exit"].string == REVIEWED
    assert not entries["Quick exit"].fuzzy
    assert "Sign out" not in entries


def test_proposals_are_exported_fuzzy_only_when_asked(app: Flask, work: dict[str, object]) -> None:
    with app.app_context():
        from assistant.translation.export import export

        text, count = export("cy", include_proposals=True)
    assert count == 2
    entries = {m.id: m for m in read_po(io.StringIO(text)) if m.id}
    assert entries["Sign out"].fuzzy


def test_the_export_is_audited_without_a_staff_actor(app: Flask, work: dict[str, object]) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["i18n", "export-reviews", "--language", "cy"])
    assert result.exit_code == 0, result.output
    assert f'msgstr "{REVIEWED}"' in result.output
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "translation-export")).one()
        assert (entry.target, entry.actor_id) == ("language:cy", None)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_export_and_the_merged_catalogue(
    app: Flask, work: dict[str, object], tmp_path: Path
) -> None:
    update = tmp_path / "cy.po"
    runner = app.test_cli_runner()
    exported = runner.invoke(
        args=["i18n", "export-reviews", "--language", "cy", "--output", str(update), "--proposals"]
    )
    assert exported.exit_code == 0, exported.output
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(update)], check=True)
    catalogues = tmp_path / "translations"
    shutil.copytree(ROOT / "translations" / "cy", catalogues / "cy")
    merged = runner.invoke(args=["i18n", "merge-reviews", str(update), "--catalogues", str(catalogues)])
    assert merged.exit_code == 0, merged.output
    assert "cy: 2 string(s) merged" in merged.output
    catalogue = catalogues / "cy" / "LC_MESSAGES" / "messages.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalogue)], check=True)
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(catalogue))}
    assert entries[(None, "Quick exit")].msgstr == REVIEWED
    assert "fuzzy" not in entries[(None, "Quick exit")].flags
    assert entries[(None, "Sign out")].msgstr == PENDING
    assert "fuzzy" in entries[(None, "Sign out")].flags
    assert len(entries) == len(list(polib.pofile(str(ROOT / "translations/cy/LC_MESSAGES/messages.po"))))


def test_a_string_gone_from_the_catalogue_is_reported_not_merged(tmp_path: Path) -> None:
    from assistant.translation.merge import merge

    (tmp_path / "cy" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(ROOT / "translations/cy/LC_MESSAGES/messages.po", tmp_path / "cy/LC_MESSAGES/messages.po")
    update = tmp_path / "update.po"
    update.write_text(
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n\nmsgid "No such string"\nmsgstr "Dim"\n', encoding="utf-8"
    )
    merged = merge(update, tmp_path)
    assert (merged.changed, merged.missing) == (0, ["No such string"])


def test_make_i18n_update_merges_the_exported_reviews(
    app: Flask, work: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import i18n_tools

    runner = app.test_cli_runner()
    reviews = tmp_path / "reviews"
    exported = runner.invoke(args=["i18n", "export-reviews", "--output", str(reviews)])
    assert exported.exit_code == 0, exported.output
    catalogues = tmp_path / "translations"
    shutil.copytree(ROOT / "translations" / "cy", catalogues / "cy")
    monkeypatch.setattr(i18n_tools, "CATALOGUES", catalogues)
    monkeypatch.setattr(i18n_tools, "update", lambda: None)  # the template's part is tested on its own

    updated = runner.invoke(args=["i18n", "update", "--reviews", str(reviews)])
    assert updated.exit_code == 0, updated.output
    assert "cy: 1 string(s) merged" in updated.output
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(catalogues / "cy" / "LC_MESSAGES" / "messages.po"))}
    assert entries[(None, "Quick exit")].msgstr == REVIEWED
