"""Clients of the intake API: the external systems allowed to read the intake queue with a bearer
token. Only each token's SHA-256 is stored; the token itself is shown once, when the client is made.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..storage.models import ApiClient, utcnow
from ..storage.unit_of_work import unit_of_work

TOKEN_PREFIX = "nrm_"  # noqa: S105 - makes a leaked token recognisable; not a secret
# Starts with a letter, so that no name reads as the id the audit trail falls back to.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Caller:
    """The client a request comes from: its id, and its name on the audit trail."""

    id: int
    target: str


class ClientError(ValueError):
    """A client cannot be made or found as asked: ``code`` says why, the message in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_target(client: ApiClient) -> str:
    """How the audit trail names a client: ``api:<name>``, or ``api:<id>`` when that is too long."""
    target = f"api:{client.name}"
    return target if len(target) <= 64 else f"api:{client.id}"


def authenticate(token: str) -> Caller | None:
    """The active client with this token, its use noted; None for unknown and disabled tokens alike."""
    with unit_of_work():
        client = db.session.scalar(select(ApiClient).where(ApiClient.token_hash == token_hash(token), ApiClient.active))
        if client is None:
            return None
        client.last_used_at = utcnow()
        return Caller(client.id, client_target(client))


def create(name: str) -> tuple[ApiClient, str]:
    """A new client and its token (to show once); the creation is on the audit trail."""
    if not NAME.fullmatch(name):
        raise ClientError("name", "the name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter")
    with unit_of_work():
        if db.session.scalar(select(ApiClient.id).where(ApiClient.name == name)) is not None:
            raise ClientError("name_taken", f"there is already an API client called {name!r}")
        token = new_token()
        client = ApiClient(name=name, token_hash=token_hash(token))
        db.session.add(client)
        db.session.flush()
        audit.record("api-client-create", client_target(client))
    return client, token


def clients() -> list[ApiClient]:
    return list(db.session.scalars(select(ApiClient).order_by(ApiClient.name)))


def disable(name: str) -> ApiClient:
    """Refuse the client's token from now on (there is no enabling again: a new client is made)."""
    with unit_of_work():
        client = db.session.scalar(select(ApiClient).where(ApiClient.name == name))
        if client is None:
            raise ClientError("unknown", f"no API client called {name!r}")
        if client.active:
            client.active = False
            audit.record("api-client-disable", client_target(client))
    return client
