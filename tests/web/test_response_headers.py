"""Every response carries the security headers, including the Socket.IO long-polling answers that
Flask-SocketIO serves outside Flask; the CSP lets scripts connect to the service's own origin only."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient


def test_a_long_polling_answer_carries_the_security_headers(app: Flask, client: FlaskClient) -> None:
    response = client.get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200
    assert response.text.startswith("0{")  # the Engine.IO handshake
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_scripts_may_connect_to_the_services_own_origin_only(client: FlaskClient) -> None:
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in client.get("/sign-in").headers["Content-Security-Policy"].split(";")
    )
    assert policy["connect-src"] == "'self'"
