"""Creating users and checking passwords (argon2id, RFC 9106 low-memory profile by default)."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ..storage.models import Organisation, User
from ..storage.store import DbSession
from .roles import ROLES

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
# Verifying against this when the email is unknown takes as long as a real check, so timing does
# not reveal which emails have accounts.
_DUMMY_HASH = _hasher.hash("not a real password, only used to even out timing")


class AccountError(ValueError):
    """An account cannot be made as asked: ``code`` says why and ``field`` what is at fault; the
    message says it in English, for the command line."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code, self.field = code, field


def use_hasher(hasher: PasswordHasher) -> None:
    """Tests use argon2's cheapest profile."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not a real password, only used to even out timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_organisation(session: DbSession, slug: str) -> Organisation | None:
    return session.scalars(select(Organisation).where(Organisation.slug == slug)).first()


def ensure_organisation(session: DbSession, slug: str, name: str, kind: str) -> Organisation:
    found = find_organisation(session, slug)
    if found is None:
        found = Organisation(slug=slug, name=name, kind=kind)
        session.add(found)
        session.flush()
    return found


def create_user(
    session: DbSession, email: str, name: str, role: str, organisation: Organisation, password: str
) -> User:
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError("role", "role", f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError("email_format", "email", "email must be an email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "password_short", "password", f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
        )
    if session.scalars(select(User.id).where(User.email == email)).first() is not None:
        raise AccountError("email_taken", "email", "a user with that email already exists")
    user = User(
        email=email, name=name.strip(), role=role, organisation=organisation, password_hash=hash_password(password)
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: DbSession, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (in the same time either way)."""
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_sign_in_at = dt.datetime.now(dt.UTC)
    return user


def user_id_for(session: DbSession, email: str) -> int | None:
    """The id of the account with this email, if there is one (for the audit trail only)."""
    return session.scalars(select(User.id).where(User.email == email.strip().lower())).first()
