"""The intake API: an external case-management system reads the intake queue with a bearer token.

docs/openapi.yaml is the contract and README "Intake API" the guide for client authors. No
cookies and no CSRF token: each request carries ``Authorization: Bearer <token>``, and only the
token's SHA-256 is stored. Every answer is JSON (errors are RFC 9457 problem details) and is never
cached.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from .. import intake
from ..access import NotFound
from ..accounts import api_clients
from ..accounts.api_clients import token_hash
from ..evidence import access
from ..extensions import csrf, limiter
from ..intake import decode_cursor, encode_cursor
from .evidence import file_response

# The cursors are assistant/intake.py's; encode_cursor stays importable from here too.
__all__ = ["api", "encode_cursor"]
api = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api)

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
# RFC 6750's b64token, bounded: anything else cannot be one of our tokens.
TOKEN = re.compile(r"[A-Za-z0-9._~+/-]{1,200}=*")
REALM = 'Bearer realm="nrm-intake"'
# Waiting longer than this for submissions in flight answers 503 (PostgreSQL's lock_timeout).
LOCK_TIMEOUT = "5s"


class BadParameter(Exception):
    def __init__(self, parameter: str, detail: str) -> None:
        super().__init__(detail)
        self.parameter, self.detail = parameter, detail


def problem(status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """An RFC 9457 problem details response."""
    response = jsonify(
        {
            "type": "about:blank",
            "title": HTTP_STATUS_CODES.get(status, "Error"),
            "status": status,
            "detail": detail,
            **extra,
        }
    )
    response.status_code = status
    response.content_type = "application/problem+json"
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def _bearer() -> str | None:
    """The bearer token of the request, if it has one of the right form."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not TOKEN.fullmatch(token):
        return None
    return token


def _rate_key() -> str:
    token = _bearer()
    return f"api-token:{token_hash(token)}" if token else f"api-address:{get_remote_address()}"


def _rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", "600 per minute"))


# One budget per token across the API's endpoints (per address for requests without a token).
limiter.shared_limit(_rate_limit, scope="api", key_func=_rate_key)(api)


@api.before_app_request
def _unrouted() -> Response | None:
    """A path under /api/v1 that matches no route, or not with this method, answers as the API does."""
    error = request.routing_exception
    path = request.path.rstrip("/")
    if error is None or not (path == api.url_prefix or path.startswith(f"{api.url_prefix}/")):
        return None
    if isinstance(error, MethodNotAllowed):
        return problem(
            405, "This path does not take that method.", {"Allow": ", ".join(sorted(error.valid_methods or []))}
        )
    return problem(404, "There is nothing at this path.")  # never a redirect (such as for "//")


@api.before_request
def _authenticate() -> Response | None:
    token = _bearer()
    client = None if token is None else api_clients.authenticate(token)  # unknown and disabled alike
    if client is None:
        if token is None:
            return problem(401, "Send the API token in an Authorization: Bearer header.", {"WWW-Authenticate": REALM})
        return problem(
            401, "The token is unknown or disabled.", {"WWW-Authenticate": f'{REALM}, error="invalid_token"'}
        )
    g.api_client_id, g.api_client_target = client.id, client.target
    return None


@api.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@api.errorhandler(BadParameter)
def _bad_parameter(error: BadParameter) -> Response:
    return problem(400, error.detail, parameter=error.parameter)


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {}
    if isinstance(error, MethodNotAllowed):
        headers["Allow"] = ", ".join(sorted(error.valid_methods or []))
    detail = error.description or HTTP_STATUS_CODES.get(status, "Error")
    if status == 429:
        detail = f"Too many requests (at most {error.description}). Wait for the seconds in Retry-After."
    return problem(status, detail, headers)


@api.get("/referrals", provide_automatic_options=False)
def list_referrals() -> Response:
    """Referrals in submission order after the cursor, with where each stands and this client's acknowledgement.

    Poll with the last ``next_cursor`` for ever: every referral comes exactly once."""
    _only_parameters("after", "limit", "unacknowledged")
    given = request.args.get("after")
    after = 0 if given is None else decode_cursor(given)
    if after is None:
        raise BadParameter("after", "after must be a next_cursor from an earlier answer.")
    limit = _limit()
    unacknowledged = _flag("unacknowledged")
    try:
        page = intake.read_page(g.api_client_id, g.api_client_target, after, limit, unacknowledged, LOCK_TIMEOUT)
    except intake.SubmissionsInFlight:
        return problem(503, "Submissions are being written; try again shortly.", {"Retry-After": "1"})
    return jsonify({"referrals": page.referrals, "next_cursor": page.next_cursor})


@api.post("/referrals/<reference>/acknowledgement", provide_automatic_options=False)
def acknowledge(reference: str) -> Response:
    """Record that this client has taken the referral into its own system (idempotent)."""
    _only_parameters()
    if request.get_data(cache=False):
        return problem(400, "The acknowledgement takes no body.")
    acknowledged = intake.acknowledge(g.api_client_id, g.api_client_target, reference)
    if acknowledged is None:
        return problem(404, "There is no referral with that reference.")
    reference, at = acknowledged
    return jsonify({"reference": reference, "acknowledged_at": intake.iso(at)})


@api.get("/referrals/<reference>/files/<file_id>", provide_automatic_options=False)
def evidence_file(reference: str, file_id: str) -> Response:
    """One of the referral's evidence files, as listed in its intake record (audited)."""
    _only_parameters()
    try:
        reference = reference.upper()
        listed, data = access.open_file(
            reference, file_id, None, target=f"api:{g.api_client_id}:{reference}:{file_id}"[:64]
        )
    except NotFound:
        return problem(404, "There is no such file with that referral.")
    return file_response(data, listed.media_type, listed.download_name(reference))


def _only_parameters(*names: str) -> None:
    """Refuse a query parameter the endpoint does not take, or one given twice: a typo such as
    ``unacknowleged=true`` must not quietly list everything."""
    for name in request.args:
        if name not in names:
            raise BadParameter(name, f"There is no query parameter {name!r} here.")
        if len(request.args.getlist(name)) > 1:
            raise BadParameter(name, f"Give {name} once.")


def _limit() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadParameter("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def _flag(name: str) -> bool:
    raw = request.args.get(name, "false")
    if raw not in ("true", "false"):
        raise BadParameter(name, f"{name} must be true or false.")
    return raw == "true"
