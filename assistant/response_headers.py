"""The security headers on every response, including those Flask never sees.

Flask-SocketIO serves /socket.io/ (long-polling answers carry acknowledgements with answers in them)
from its own WSGI app, outside Flask's after_request, so neither Talisman nor the no-store rule
reaches those responses. The headers they add are taken once, from Flask's own handling of an empty
response, and a WSGI middleware adds whichever of them a response lacks: one definition (Talisman's
configuration and the app's after_request), every response.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# Headers about one response's body or client, not a policy for every response.
_PER_RESPONSE = {"content-type", "content-length", "vary", "set-cookie"}


def flask_response_headers(app: Flask) -> list[tuple[str, str]]:
    """The headers that the app's after_request functions (Talisman's among them) add to a response."""
    base_url = "https://localhost" if app.config["FORCE_HTTPS"] else "http://localhost"
    with app.test_request_context("/socket.io/", base_url=base_url):
        response = app.process_response(app.response_class())
    return [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _PER_RESPONSE and not name.lower().startswith(("x-ratelimit", "retry-after"))
    ]


class SecurityHeaders:
    """WSGI middleware: add each of ``headers`` that a response does not already have."""

    def __init__(self, wsgi_app: Any, headers: Iterable[tuple[str, str]]) -> None:
        self.wsgi_app = wsgi_app
        self.headers = list(headers)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            headers = headers + [(name, value) for name, value in self.headers if name.lower() not in present]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)
