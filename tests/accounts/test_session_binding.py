"""A signed-in session belongs to the browser that signed in: its cookie is no good in another."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assistant.extensions import socketio
from tests.conftest import Staff, sign_in

FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def browser(app: Flask, user_agent: str, address: str = "127.0.0.1") -> FlaskClient:
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    return client


@pytest.fixture
def signed_in(app: Flask, staff: Staff) -> FlaskClient:
    phone = browser(app, FIREFOX)
    sign_in(phone, staff.user("first-responder").email)
    return phone


def copy_of(app: Flask, original: FlaskClient, user_agent: str, address: str = "127.0.0.1") -> FlaskClient:
    copy = browser(app, user_agent, address)
    copy.set_cookie("session", original.get_cookie("session").value)
    return copy


def test_a_cookie_replayed_in_another_browser_is_signed_out(app: Flask, signed_in: FlaskClient) -> None:
    copy = copy_of(app, signed_in, CHROME)
    page = copy.get("/referrals/")
    assert page.status_code == 302
    assert page.location.startswith("/sign-in")
    assert copy.get("/session/alive").status_code == 401
    assert signed_in.get("/referrals/").status_code == 200  # the browser that signed in carries on


def test_a_cookie_replayed_in_another_browser_cannot_open_the_chat(app: Flask, signed_in: FlaskClient) -> None:
    copy = copy_of(app, signed_in, CHROME)
    assert not socketio.test_client(app, flask_test_client=copy).is_connected()
    own = socketio.test_client(app, flask_test_client=signed_in)
    assert own.is_connected()
    own.disconnect()


def test_a_phone_that_changes_network_stays_signed_in(app: Flask, signed_in: FlaskClient) -> None:
    """Mobile networks change a phone's address often: the session is not bound to it."""
    moved = copy_of(app, signed_in, FIREFOX, address="198.51.100.23")
    assert moved.get("/referrals/").status_code == 200
    assert socketio.test_client(app, flask_test_client=moved).is_connected()
