"""The security headers: one definition, on every response.

Talisman and the no-store rule set them on Flask's responses; ``cover_every_response`` then copies
what they set onto the responses Flask never sees (assistant/response_headers.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    # 'self' plus a per-request nonce: the chat page's inline stylesheet and its one small inline script
    "script-src": "'self'",
    "style-src": "'self'",
    # the service's own origin only: in CSP Level 3 'self' covers its ws: and wss: too
    "connect-src": "'self'",
    "img-src": ["'self'", "data:"],
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# same-origin, not no-referrer: over HTTPS the CSRF check needs the Referer of our own pages
# (addresses never hold personal data); other sites get nothing.
REFERRER_POLICY = "same-origin"


def init_security(app: Flask) -> None:
    """HTTPS, the CSP with its nonces and the other Talisman headers, and no caching of any answer."""
    from flask_talisman import Talisman

    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["FORCE_HTTPS"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy=REFERRER_POLICY,
        content_security_policy_nonce_in=["script-src", "style-src"],
    )

    @app.after_request
    def _no_store(response: Any) -> Any:
        response.headers.setdefault("Cache-Control", "no-store")
        if response.status_code not in (429, 503):  # the rate limiter adds it to every answer
            response.headers.pop("Retry-After", None)
        return response


def cover_every_response(app: Flask) -> None:
    """Add the headers to the answers Flask-SocketIO serves outside Flask. Call it last, once every
    after_request is in place, so the headers taken are the complete set."""
    from .response_headers import SecurityHeaders, flask_response_headers

    # Wrapping wsgi_app is Flask's documented way to add middleware; mypy sees a method being replaced.
    app.wsgi_app = SecurityHeaders(app.wsgi_app, flask_response_headers(app))  # type: ignore[method-assign]
