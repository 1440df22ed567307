"""Signing in and out."""

from __future__ import annotations

import datetime as dt
import math
from urllib.parse import urlsplit

from babel.dates import format_timedelta
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import audit
from ..access import home_url, signed_in_user
from ..accounts import sign_in_throttle
from ..accounts.sessions import end_session, start_session
from ..accounts.users import authenticate, user_id_for
from ..extensions import db, socketio
from ..i18n import formatting_locale, languages
from ..storage.unit_of_work import unit_of_work

auth = Blueprint("auth", __name__)


def _email_key() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _page(**context: object) -> str:
    language = languages()[str(get_locale())]
    return render_template(
        "auth/sign_in.html",
        language=language.code,
        text_direction=language.direction,
        draft=language.draft_in("staff"),
        **context,
    )


@auth.get("/sign-in")
def sign_in() -> str:
    return _page(email="")


@auth.post("/sign-in")
def sign_in_post() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    email, password = request.form.get("email", ""), request.form.get("password", "")
    account, address = _email_key(), request.remote_addr or ""
    if seconds := sign_in_throttle.wait(account, address):
        return _try_later(seconds)  # checked before the password, so a guess made now tells nothing
    user = authenticate(db.session, email, password)
    if user is None:
        with unit_of_work():
            audit.record("sign-in-failed", outcome="refused")  # no target: the email typed may be anything
            seconds = sign_in_throttle.failed(account, address)
            if seconds:  # once per wait, so refusals cannot flood the trail
                target = user_id_for(db.session, account)
                audit.record("sign-in-throttled", f"user:{target}" if target else None, outcome="refused")
        if seconds:
            return _try_later(seconds)
        return _page(email=email, error=_("Enter a correct email address and password.")), 200
    sign_in_throttle.succeeded(account, address)
    with unit_of_work():
        audit.record("sign-in", f"user:{user.id}", actor=user)
    start_session(user)
    return redirect(_safe_next(request.args.get("next")) or home_url(user))


def _try_later(seconds: int) -> tuple[str, int, dict[str, str]]:
    """The refusal, in the page's language: when this browser may try again."""
    # Rounded up to the unit shown (Babel rounds to the nearest), so the time given is never too early.
    unit = 3600 if seconds > 3600 else 60 if seconds > 60 else 1
    seconds = math.ceil(seconds / unit) * unit
    when = format_timedelta(
        dt.timedelta(seconds=seconds), add_direction=True, locale=formatting_locale(str(get_locale()))
    )
    language = languages()[str(get_locale())]
    page = render_template(
        "auth/try_later.html",
        language=language.code,
        text_direction=language.direction,
        draft=language.draft_in("staff"),
        when=when,
    )
    return page, 429, {"Retry-After": str(seconds)}


@auth.get("/account")
def account() -> str | Response:
    """Signed in, with no page of one's own (a role without one yet): who you are, and sign out."""
    user = signed_in_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    return _page(email="", account=user)


@auth.get("/session/alive")
def alive() -> tuple[str, int]:
    """The chat touches this while in use, so its session does not idle out (the time-out check runs first)."""
    return ("", 204) if current_user.is_authenticated else ("", 401)


@auth.post("/sign-out")
def sign_out() -> Response:
    if current_user.is_authenticated:
        user = current_user.user
        with unit_of_work():
            audit.record("sign-out", f"user:{user.id}")
            user.session_version += 1  # every copy of the session cookie stops working, not only this one
        disconnect_user(user.id)
    end_session()
    flash(_("You have signed out."))
    response = redirect(url_for("auth.sign_in"))
    # A shared phone keeps nothing of the session: the browser drops the page's storage and cache.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


def disconnect_user(user_id: int) -> None:
    """End the user's live Socket.IO connections on this worker (each joins the room user:<id>)."""
    room = f"user:{user_id}"
    for sid, _eio_sid in list(socketio.server.manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return None
