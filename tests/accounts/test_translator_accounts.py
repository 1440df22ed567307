"""A translator's account holds languages: an administrator sets them on the account's page, an
operator with `flask users create --language` or `flask users languages`; each change is audited."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from assistant.extensions import db
from assistant.storage.models import AuditEntry, User
from tests.conftest import Staff, csrf


def _languages(app: Flask, user_id: int) -> list[str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return list(user.languages)


def test_an_administrator_sets_a_translators_languages(app: Flask, staff: Staff) -> None:
    admin, translator = staff.client("admin"), staff.user("translator")
    listed = admin.get("/admin/users?role=translator").text
    assert f'href="/admin/users/{translator.id}/languages"' in listed
    page = admin.get(f"/admin/users/{translator.id}/languages").text
    assert 'value="ar" id="language-ar"' in page
    response = admin.post(
        f"/admin/users/{translator.id}/languages", data={"csrf_token": csrf(page), "language": ["ar", "so"]}
    )
    assert response.status_code == 302
    assert _languages(app, translator.id) == ["ar", "so"]
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user-languages")).one()
        assert (entry.target, entry.actor_id) == (f"user:{translator.id}", admin.user.id)  # type: ignore[attr-defined]


def test_unknown_languages_and_other_roles_are_refused(app: Flask, staff: Staff) -> None:
    admin, translator, worker = staff.client("admin"), staff.user("translator"), staff.user("caseworker")
    page = admin.get(f"/admin/users/{translator.id}/languages").text
    unknown = admin.post(f"/admin/users/{translator.id}/languages", data={"csrf_token": csrf(page), "language": "xx"})
    assert unknown.status_code == 400
    assert "Choose languages from the list." in unknown.text
    assert _languages(app, translator.id) == ["cy"]
    other = admin.post(f"/admin/users/{worker.id}/languages", data={"csrf_token": csrf(page), "language": "cy"})
    assert other.status_code == 400
    assert "Only a translator&#39;s account holds languages." in other.text


def test_the_command_line_creates_a_translator_with_languages(app: Flask) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=["users", "create", "--email", "t@example.org", "--name", "Synthetic Translator", "--role", "translator",
              "--organisation", "single-competent-authority", "--language", "cy", "--language", "am",
              "--password", "correct horse battery staple"]
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    changed = runner.invoke(args=["users", "languages", "--email", "t@example.org", "--language", "ti"])
    assert changed.exit_code == 0, changed.output
    assert "translates: ti" in changed.output
    refused = runner.invoke(args=["users", "languages", "--email", "t@example.org", "--language", "xx"])
    assert refused.exit_code != 0
    assert "no catalogue for xx" in refused.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "t@example.org")).one()
        assert user.languages == ["ti"]
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id.is_(None))).all()
        assert actions.count("user-languages") == 2
