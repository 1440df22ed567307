"""Signed-in sessions: Flask-Login with idle and absolute time-outs and revocation.

The session cookie is signed (never readable by scripts: HttpOnly, SameSite=Lax, Secure and
``__Host-`` in production) and holds the user id with the user's session version, so bumping the
version ends every session of that user at once. It is bound to the browser that signed in (see
``browser_changed``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from flask import Flask, Request, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, logout_user
from sqlalchemy import bindparam, select

from ..extensions import db
from ..storage.models import User
from ..storage.store import AccountState
from ..storage.unit_of_work import reading

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Sign in to continue.")
# Flask-Login's own protection is off: it compares a hash of the address and User-Agent, and for a
# permanent session (ours, for the absolute time-out) even "strong" only marks the session not fresh.
# The session is bound to the browser here instead (``browser_changed``).
login_manager.session_protection = None


class SignedIn(UserMixin):
    """The signed-in user as Flask-Login sees it: the id carries the session version."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_version}"

    @property
    def role(self) -> str:
        return self.user.role


@login_manager.user_loader
def _load(identifier: str) -> SignedIn | None:
    user_id, _, version = identifier.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return SignedIn(user)


@dataclass(frozen=True)
class Standing:
    """A chat connection's signed-in user as its handshake found them, checked again at each event.

    The check is the user loader's (the account is active and the session's version is current),
    plus the role and organisation, on four columns read by one prebuilt statement: loading the
    whole account through the ORM at each event was a fifth of a chat turn's CPU."""

    id: int
    session_version: int
    role: str
    organisation_id: int

    @classmethod
    def of(cls, user: User) -> Standing:
        return cls(user.id, user.session_version, user.role, user.organisation_id)

    def holds(self) -> bool:
        """Whether the account still stands as it did: read in the caller's transaction, if one is
        begun, else without waiting for writers. (A chat turn reads it with its conversation.)"""
        with reading() as session:
            row = session.connection().execute(_STANDING, {"user": self.id}).first()
        return row is not None and self.matches(AccountState(*row))

    def matches(self, account: AccountState) -> bool:
        """Whether the account, as read now (a chat turn reads it with its conversation), still stands."""
        return account == self.account

    @property
    def account(self) -> AccountState:
        """The account as it must still be read (a chat turn's write checks it too)."""
        return AccountState(True, self.session_version, self.role, self.organisation_id)


_USERS = User.metadata.tables["users"]
_STANDING = select(*(_USERS.c[column] for column in AccountState._fields)).where(_USERS.c.id == bindparam("user"))


def start_session(user: User) -> None:
    """A fresh session for a user who has just proved who they are (a new cookie, ASVS 7.2.4)."""
    from flask_login import login_user

    session.clear()
    now = _now()
    login_user(SignedIn(user))
    session["signed_in_at"] = now
    session["seen_at"] = now
    session["browser"] = _browser()
    session.permanent = True


def end_session() -> None:
    logout_user()
    session.clear()


def _now() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())


def _browser() -> str:
    """A fingerprint of the browser: its User-Agent, not its address. A phone's address changes as
    it moves between mobile networks and Wi-Fi, so binding to it would sign honest workers out."""
    return hashlib.sha256(request.headers.get("User-Agent", "").encode("utf-8", "surrogatepass")).hexdigest()[:32]


def browser_changed() -> bool:
    """Whether the session cookie has been presented by a browser other than the one that signed in
    (a copied cookie). A browser that updates itself changes its User-Agent too: signing in again
    after an update is the price."""
    return session.get("browser") != _browser()


def session_expired(browser: bool = True) -> bool:
    """Whether the signed-in session has ended: presented by another browser, idle too long, or
    older than the absolute limit. A Socket.IO event passes ``browser=False``: its headers are its
    connection's handshake's, checked when it connected.

    If not, it counts as activity. A Socket.IO connection keeps its own copy of the session from
    the handshake, so its events are timed on that copy; the chat page also touches /session/alive
    while it is in use, so the cookie's session does not idle out under a busy chat."""
    if browser and browser_changed():
        return True
    now = _now()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    if now - session.get("seen_at", 0) > idle or now - session.get("signed_in_at", 0) > absolute:
        return True
    session["seen_at"] = now
    return False


def enforce_time_outs() -> Any:
    """Before each request: end a session idle for too long, or older than the absolute limit."""
    if not current_user.is_authenticated:
        return None
    if session_expired():
        moved = browser_changed()
        end_session()
        if moved:
            flash(_l("Sign in again: this session was started in another browser."))
        else:
            flash(_l("You were signed out because the session timed out. Sign in again."))
        return redirect(url_for("auth.sign_in", next=request.path))
    return None


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a Socket.IO event does not decode the cookie again.

    Flask-SocketIO gives each event its connection's own copy of the session (``saved_session``, made
    at the handshake) as soon as the event's request context opens, so the cookie that context would
    decode is thrown away unread: decoding it was a twentieth of a chat turn's CPU."""

    # the copy is Flask-SocketIO's SessionMixin, as Flask's SessionInterface allows, not a SecureCookieSession
    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:  # type: ignore[override]
        saved: SessionMixin | None = request.environ.get("saved_session")
        return saved if saved is not None else super().open_session(app, request)


def init_sessions(app: Flask) -> None:
    app.session_interface = CookieSessions()
    login_manager.init_app(app)
    app.before_request(enforce_time_outs)
