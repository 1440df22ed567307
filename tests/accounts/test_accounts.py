"""Staff accounts: creating users, signing in and out, time-outs, rate limits, no open redirects."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from flask import Flask
from flask.testing import FlaskClient
from flask_login import current_user

from assistant.accounts import sessions, users
from assistant.extensions import db, socketio
from assistant.storage.models import User

PASSWORD = "correct horse battery staple"  # synthetic


@pytest.fixture(autouse=True, scope="module")
def cheap_hashing() -> None:
    users.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def staff(app: Flask) -> str:
    email = f"worker-{uuid.uuid4().hex[:8]}@example.org"
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            email,
            "--name",
            "Synthetic Worker",
            "--role",
            "first-responder",
            "--organisation",
            "salvation-army",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"Created first-responder {email} in The Salvation Army.\n"
    return email


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, next_url: str | None = None) -> Any:
    token = csrf(client.get("/sign-in").text)
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": token, "email": email, "password": password})


def test_users_create_refuses_bad_input(app: Flask, staff: str) -> None:
    runner = app.test_cli_runner()
    base = ["users", "create", "--name", "X", "--role", "caseworker", "--organisation", "single-competent-authority"]
    assert "already exists" in runner.invoke(args=[*base, "--email", staff, "--password", PASSWORD]).output
    assert (
        "at least 12 characters"
        in runner.invoke(args=[*base, "--email", "a@example.org", "--password", "short"]).output
    )
    unknown = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "b@example.org",
            "--name",
            "X",
            "--role",
            "caseworker",
            "--organisation",
            "nowhere",
            "--password",
            PASSWORD,
        ]
    )
    mismatched = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "c@example.org",
            "--name",
            "X",
            "--role",
            "caseworker",
            "--organisation",
            "salvation-army",
            "--password",
            PASSWORD,
        ]
    )
    assert mismatched.exit_code == 1
    assert "caseworkers and panel members to single-competent-authority" in mismatched.output
    assert unknown.exit_code == 1
    assert "no organisation 'nowhere'" in unknown.output


def test_a_password_is_stored_as_an_argon2_hash(app: Flask, staff: str) -> None:
    with app.app_context():
        user = db.session.query(User).filter_by(email=staff).one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_signing_in_and_out(client: FlaskClient, staff: str) -> None:
    wrong = sign_in(client, staff, "not the password")
    assert wrong.status_code == 200
    assert "Enter a correct email address and password." in wrong.text
    right = sign_in(client, staff.upper())
    assert right.status_code == 302
    assert right.location == "/"
    assert client.get_cookie("session").http_only
    out = client.post("/sign-out", data={"csrf_token": csrf(client.get("/sign-in").text)}, follow_redirects=True)
    assert "You have signed out." in out.text
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_sign_out_needs_the_csrf_token(client: FlaskClient, staff: str) -> None:
    sign_in(client, staff)
    assert client.post("/sign-out").status_code == 400


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/form/"])
def test_next_never_leaves_the_site(client: FlaskClient, staff: str, target: str) -> None:
    response = sign_in(client, staff, next_url=target)
    assert response.location == ("/form/" if target == "/form/" else "/")


@pytest.mark.parametrize(("minutes", "signed_out"), [(29, False), (31, True), (60 * 13, True)])
def test_idle_and_absolute_time_outs(
    client: FlaskClient, staff: str, monkeypatch: pytest.MonkeyPatch, minutes: int, signed_out: bool
) -> None:
    sign_in(client, staff)
    later = sessions._now() + minutes * 60
    if minutes > 60:  # keep it active, to reach the absolute limit rather than the idle one
        with client.session_transaction() as session:
            session["seen_at"] = later - 60
    monkeypatch.setattr(sessions, "_now", lambda: later)
    response = client.get("/sign-in")
    with client.session_transaction() as session:
        assert ("_user_id" not in session) is signed_out
    assert (response.status_code == 302) is signed_out


def test_bumping_the_session_version_ends_every_session(app: Flask, client: FlaskClient, staff: str) -> None:
    sign_in(client, staff)
    with client:
        client.get("/sign-in")
        assert current_user.is_authenticated
    with app.app_context():
        user = db.session.query(User).filter_by(email=staff).one()
        user.session_version += 1
        db.session.commit()
    with client:
        client.get("/sign-in")
        assert not current_user.is_authenticated


def test_failed_sign_ins_are_rate_limited_per_account_and_address(client: FlaskClient, staff: str) -> None:
    codes = [sign_in(client, staff, "wrong password").status_code for _ in range(6)]
    assert codes == [200] * 4 + [429] * 2  # the fifth failure starts a wait (tests/accounts/test_sign_in_limits.py)


def test_signing_out_ends_the_users_socket_connections(app: Flask, client: FlaskClient, staff: str) -> None:
    sign_in(client, staff)
    live = socketio.test_client(app, flask_test_client=client)
    assert live.is_connected()
    client.post("/sign-out", data={"csrf_token": csrf(client.get("/sign-in").text)})
    assert not live.is_connected()


def test_creating_a_user_at_the_command_line_is_audited(app: Flask, staff: str) -> None:
    from assistant.storage.models import AuditEntry

    with app.app_context():
        user = db.session.query(User).filter_by(email=staff).one()
        entry = db.session.query(AuditEntry).filter_by(action="user-create").one()
        assert (entry.target, entry.actor_id) == (f"user:{user.id}", None)


def test_signing_out_works_over_https_from_our_own_pages(app: Flask, staff: str) -> None:
    """Flask-WTF checks the Referer over HTTPS: the pages must send it to their own site."""
    secure = app.test_client()
    secure.environ_base["wsgi.url_scheme"] = "https"
    token = csrf(secure.get("/sign-in").text)
    secure.post("/sign-in", data={"csrf_token": token, "email": staff, "password": PASSWORD})
    page = secure.get("/referrals/")
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in page.text
    out = secure.post(
        "/sign-out", data={"csrf_token": csrf(page.text)}, headers={"Referer": "https://localhost/referrals/"}
    )
    assert out.status_code == 302, out.text


def test_signing_out_ends_every_copy_of_the_session(app: Flask, staff: str) -> None:
    here = app.test_client()
    sign_in(here, staff)
    copy = app.test_client()
    copy.set_cookie("session", here.get_cookie("session").value)
    assert copy.get("/session/alive").status_code == 204
    here.post("/sign-out", data={"csrf_token": csrf(here.get("/referrals/").text)})
    assert copy.get("/session/alive").status_code == 401  # a copied cookie is no good after sign-out
