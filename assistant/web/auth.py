"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.sessions import end_session, start_session
from ..accounts.users import authenticate
from ..extensions import db, limiter, socketio
from ..i18n import languages

auth = Blueprint("auth", __name__)


def _email_key() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _page(**context: object) -> str:
    language = languages()[str(get_locale())]
    return render_template("auth/sign_in.html", language=language.code, text_direction=language.direction,
                           draft=language.draft, **context)


@auth.get("/sign-in")
def sign_in() -> str:
    return _page(email="")


@auth.post("/sign-in")
@limiter.limit("10 per minute")  # per address
@limiter.limit("5 per 15 minutes", key_func=_email_key)  # per account, whatever the address
def sign_in_post() -> str | Response:
    email, password = request.form.get("email", ""), request.form.get("password", "")
    user = authenticate(db.session, email, password)
    if user is None:
        db.session.commit()
        return _page(email=email, error=_("Enter a correct email address and password.")), 200
    db.session.commit()
    start_session(user)
    return redirect(_safe_next(request.args.get("next")))


@auth.post("/sign-out")
def sign_out() -> Response:
    if current_user.is_authenticated:
        disconnect_user(current_user.user.id)
    end_session()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))


def disconnect_user(user_id: int) -> None:
    """End the user's live Socket.IO connections on this worker (each joins the room user:<id>)."""
    room = f"user:{user_id}"
    for sid, _eio_sid in list(socketio.server.manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("pages.chat")
