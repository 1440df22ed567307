"""The intake API: an external case-management system reads the intake queue with a bearer token.

docs/openapi.yaml is the contract and README "Intake API" the guide for client authors. No
cookies and no CSRF token: each request carries ``Authorization: Bearer <token>``, and only the
token's SHA-256 is stored. Every answer is JSON (errors are RFC 9457 problem details) and is never
cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_limiter.util import get_remote_address
from sqlalchemy import BigInteger, and_, literal, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from .. import audit
from ..extensions import csrf, db, limiter
from ..intake import intake_record
from ..storage.models import ApiAcknowledgement, ApiClient, Referral, utcnow

api = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api)

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
TOKEN_PREFIX = "nrm_"  # noqa: S105 - makes a leaked token recognisable; not a secret
# RFC 6750's b64token, bounded: anything else cannot be one of our tokens.
TOKEN = re.compile(r"[A-Za-z0-9._~+/-]{1,200}=*")
# A cursor is "c" and a referral id in hex, with no leading zeros: any such string is a valid cursor
# (one past the end of the queue gives an empty page), so docs/openapi.yaml can say exactly what is.
CURSOR = re.compile(r"c(0|[1-9a-f][0-9a-f]{0,14})")  # below 2**60: compared as a BIGINT, whatever the id column
REALM = 'Bearer realm="nrm-intake"'
# Waiting longer than this for submissions in flight answers 503 (PostgreSQL's lock_timeout).
LOCK_TIMEOUT = "5s"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_target(client: ApiClient) -> str:
    """How the audit trail names a client: ``api:<name>``, or ``api:<id>`` when that is too long."""
    target = f"api:{client.name}"
    return target if len(target) <= 64 else f"api:{client.id}"


def encode_cursor(referral_id: int) -> str:
    return f"c{referral_id:x}"


def decode_cursor(cursor: str) -> int | None:
    """The referral id a cursor stands for, or None when it is not a cursor."""
    match = CURSOR.fullmatch(cursor)
    return int(match.group(1), 16) if match else None


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
    client = None
    if token is not None:  # unknown and disabled tokens take the same path
        client = db.session.scalar(select(ApiClient).where(ApiClient.token_hash == token_hash(token), ApiClient.active))
    if client is None:
        if token is None:
            return problem(401, "Send the API token in an Authorization: Bearer header.", {"WWW-Authenticate": REALM})
        return problem(
            401, "The token is unknown or disabled.", {"WWW-Authenticate": f'{REALM}, error="invalid_token"'}
        )
    client.last_used_at = utcnow()
    g.api_client_id, g.api_client_target = client.id, client_target(client)
    db.session.commit()
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
        _wait_for_submissions_in_flight()
        acknowledgement = and_(
            ApiAcknowledgement.referral_id == Referral.id, ApiAcknowledgement.client_id == g.api_client_id
        )
        query = (
            select(Referral, ApiAcknowledgement.at)
            .outerjoin(ApiAcknowledgement, acknowledgement)
            .where(Referral.id > literal(after, BigInteger))
            .order_by(Referral.id)
            .limit(limit)
        )
        if unacknowledged:
            query = query.where(ApiAcknowledgement.id.is_(None))
        rows = db.session.execute(query).all()
    except OperationalError as error:
        db.session.rollback()
        if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        return problem(503, "Submissions are being written; try again shortly.", {"Retry-After": "1"})
    body = {
        "referrals": [
            {**intake_record(referral), "status": referral.status, "acknowledged_at": _iso(at)} for referral, at in rows
        ],
        "next_cursor": encode_cursor(rows[-1][0].id if rows else after),
    }
    audit.record("api-read", g.api_client_target, by_staff=False)
    db.session.commit()
    return jsonify(body)


@api.post("/referrals/<reference>/acknowledgement", provide_automatic_options=False)
def acknowledge(reference: str) -> Response:
    """Record that this client has taken the referral into its own system (idempotent)."""
    _only_parameters()
    if request.get_data(cache=False):
        return problem(400, "The acknowledgement takes no body.")
    referral = db.session.scalar(select(Referral).where(Referral.reference == reference.upper()))
    if referral is None:
        return problem(404, "There is no referral with that reference.")
    reference = referral.reference
    at = _acknowledged_at(referral.id)
    if at is None:
        acknowledgement = ApiAcknowledgement(client_id=g.api_client_id, referral_id=referral.id, at=utcnow())
        try:
            with db.session.begin_nested():
                db.session.add(acknowledgement)
        except IntegrityError:  # a simultaneous request of this client acknowledged it first
            at = _acknowledged_at(referral.id)
        else:
            at = acknowledgement.at
            audit.record("api-acknowledge", reference, by_staff=False)
    db.session.commit()
    return jsonify({"reference": reference, "acknowledged_at": _iso(at)})


def _acknowledged_at(referral_id: int) -> dt.datetime | None:
    return db.session.scalar(
        select(ApiAcknowledgement.at).where(
            ApiAcknowledgement.client_id == g.api_client_id, ApiAcknowledgement.referral_id == referral_id
        )
    )


def _wait_for_submissions_in_flight() -> None:
    """Make sure no referral can later appear behind the page about to be read.

    On PostgreSQL, ids come from a sequence when a row is inserted, but transactions commit in any
    order: id 7 may become visible after id 8, and a client whose cursor had passed 8 would never see
    7. A SHARE lock on the table waits for every transaction that has written to it and holds new
    writers back until this transaction ends, so every id below the last one read is committed, or
    never will be. SQLite writes one transaction at a time, in id order, so needs nothing."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    db.session.execute(text("LOCK TABLE referrals IN SHARE MODE"))


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


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
