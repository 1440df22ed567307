"""A police liaison's account holds its police force: an administrator chooses it when making the
account and changes it on the account's page (an operator uses `flask users create --force`); only
a liaison's account holds one, the force is one of flows/lists/police-forces.yaml, and each change
is audited. Every account here is synthetic."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assistant.extensions import db
from assistant.storage.models import AuditEntry, User
from tests.conftest import LIAISON_FORCE, Staff, csrf

LIAISON = {
    "email": "new.liaison@example.org",
    "name": "Synthetic New Liaison",
    "role": "police-liaison",
    "organisation": "police-kent",
    "force": "essex",
    "password": "a synthetic password 123",
}


def _force(app: Flask, user_id: int) -> str | None:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.police_force_area


def _trail(app: Flask, action: str) -> list[tuple[str | None, int | None]]:
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return [(entry.target, entry.actor_id) for entry in db.session.scalars(query)]


def _created(app: Flask, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def _post(client: FlaskClient, url: str, data: dict[str, Any], page: str) -> Any:
    return client.post(url, data={"csrf_token": csrf(client.get(page).text), **data})


# Making a liaison's account ------------------------------------------------------------------------


def test_an_administrator_makes_a_liaisons_account_with_its_force(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    form = admin.get("/admin/users/new").text
    assert '<select id="force" name="force"' in form
    assert '<option value="essex">Essex Police</option>' in form
    response = _post(admin, "/admin/users/new", LIAISON, "/admin/users/new")
    assert response.status_code == 302, response.text
    made = _created(app, LIAISON["email"])
    assert made is not None
    assert (made.role, made.police_force_area) == ("police-liaison", "essex")
    by = admin.user.id  # type: ignore[attr-defined]
    assert _trail(app, "user-create") == [(f"user:{made.id}", by)]
    assert _trail(app, "user-police-force") == [(f"user:{made.id}", by)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"force": ""}, "Choose the police force of this police liaison."),
        ({"force": "atlantis"}, "Choose a police force from the list."),
        ({"role": "analyst", "organisation": "single-competent-authority"}, "Only a police liaison"),
    ],
)
def test_a_liaison_needs_a_force_from_the_list_and_no_other_role_has_one(
    app: Flask, staff: Staff, change: dict[str, str], message: str
) -> None:
    admin = staff.client("admin")
    response = _post(admin, "/admin/users/new", {**LIAISON, **change}, "/admin/users/new")
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0)
    assert 'href="#force"' in summary
    assert message in summary.replace("&#39;", "'")
    assert 'id="force-error"' in response.text
    assert 'aria-describedby="force-hint force-error"' in response.text
    assert _created(app, LIAISON["email"]) is None
    assert not _trail(app, "user-create")


def test_the_force_chosen_stays_chosen_when_something_else_is_wrong(staff: Staff) -> None:
    admin = staff.client("admin")
    response = _post(admin, "/admin/users/new", {**LIAISON, "name": ""}, "/admin/users/new")
    assert response.status_code == 400
    assert '<option value="essex" selected>Essex Police</option>' in response.text


def test_every_field_wrong_is_named_at_once(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    wrong = {**LIAISON, "name": "", "organisation": "", "force": "", "password": "short"}
    response = _post(admin, "/admin/users/new", wrong, "/admin/users/new")
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0)
    links = re.findall(r'href="#([\w-]+)"', summary)
    assert links == ["name", "organisation", "force", "password"]  # in the form's order, all on one submit
    for field in links:
        assert f'id="{field}-error"' in response.text, field
    assert _created(app, LIAISON["email"]) is None


# Changing a liaison's force ------------------------------------------------------------------------


def test_an_administrator_changes_a_liaisons_force_and_the_liaison_sees_the_new_one_at_once(
    app: Flask, staff: Staff
) -> None:
    admin, liaison = staff.client("admin"), staff.client("police-liaison")
    user_id = liaison.user.id  # type: ignore[attr-defined]
    assert liaison.get(f"/police/{LIAISON_FORCE}/").status_code == 200
    listed = admin.get("/admin/users?role=police-liaison").text
    assert f'href="/admin/users/{user_id}/police-force"' in listed
    assert "Police force: Kent Police" in listed
    url = f"/admin/users/{user_id}/police-force"
    page = admin.get(url).text
    assert '<option value="kent" selected>Kent Police</option>' in page
    response = admin.post(url, data={"csrf_token": csrf(page), "force": "essex"})
    assert response.status_code == 302
    assert response.location == "/admin/users?role=police-liaison"
    assert "now sees the reports passed to Essex Police." in admin.get(response.location).text
    assert _force(app, user_id) == "essex"
    assert _trail(app, "user-police-force") == [(f"user:{user_id}", admin.user.id)]  # type: ignore[attr-defined]
    assert liaison.get(f"/police/{LIAISON_FORCE}/").status_code == 404
    assert liaison.get("/police/").location == "/police/essex/"


@pytest.mark.parametrize(
    ("force", "message"),
    [("", "Choose the police force of this police liaison."), ("atlantis", "Choose a police force from the list.")],
)
def test_a_force_not_on_the_list_is_refused(app: Flask, staff: Staff, force: str, message: str) -> None:
    admin, liaison = staff.client("admin"), staff.user("police-liaison")
    url = f"/admin/users/{liaison.id}/police-force"
    response = admin.post(url, data={"csrf_token": csrf(admin.get(url).text), "force": force})
    assert response.status_code == 400
    assert message in response.text
    assert 'href="#force"' in response.text
    assert _force(app, liaison.id) == LIAISON_FORCE
    assert not _trail(app, "user-police-force")


def test_only_a_liaisons_account_holds_a_force(app: Flask, staff: Staff) -> None:
    admin, analyst = staff.client("admin"), staff.user("analyst")
    url = f"/admin/users/{analyst.id}/police-force"
    response = admin.post(url, data={"csrf_token": csrf(admin.get("/admin/users").text), "force": "kent"})
    assert response.status_code == 400
    assert "Only a police liaison&#39;s account holds a police force." in response.text
    assert _force(app, analyst.id) is None
    assert not _trail(app, "user-police-force")
    assert admin.get("/admin/users/100000/police-force").status_code == 404


def test_a_change_without_the_forms_token_is_refused(app: Flask, staff: Staff) -> None:
    admin, liaison = staff.client("admin"), staff.user("police-liaison")
    response = admin.post(f"/admin/users/{liaison.id}/police-force", data={"force": "essex"})
    assert response.status_code == 400
    assert _force(app, liaison.id) == LIAISON_FORCE


@pytest.mark.parametrize("role", ["police-liaison", "analyst", "caseworker", "first-responder", "translator"])
def test_only_administrators_change_a_force(app: Flask, staff: Staff, role: str) -> None:
    client, liaison = staff.client(role), staff.user("police-liaison")
    url = f"/admin/users/{liaison.id}/police-force"
    assert client.get(url).status_code == 403
    token = csrf(client.get("/sign-in").text)
    assert client.post(url, data={"csrf_token": token, "force": "essex"}).status_code == 403
    assert _force(app, liaison.id) == LIAISON_FORCE
