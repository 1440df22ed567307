"""`make run`: serve the assistant on the embedded defaults (one process, SQLite) and print its URL."""

from __future__ import annotations

import os
import secrets

from flask import Flask

from . import create_app
from .accounts.roles import Role
from .extensions import socketio

# Development-only accounts, one per role, so every part of the service can be tried locally.
DEV_ACCOUNTS = {
    Role.FIRST_RESPONDER: ("dev@example.org", "development", "Development organisation (not real)", "ngo"),
    Role.CASEWORKER: ("dev-caseworker@example.org", "single-competent-authority", "Single Competent Authority", "unit"),
    Role.PANEL: ("dev-panel@example.org", "independent-panel", "Independent review panel", "panel"),
    Role.ANALYST: ("dev-analyst@example.org", "single-competent-authority", "Single Competent Authority", "unit"),
    Role.ADMIN: ("dev-admin@example.org", "single-competent-authority", "Single Competent Authority", "unit"),
}


def main() -> None:
    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"\n  NRM referral assistant running at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)  # noqa: T201
    if app.config["ENV_NAME"] == "development":
        password = _development_accounts(app)
        print(  # noqa: T201
            f"  Sign in at http://{host}:{port}/sign-in (development accounts, password {password}):",
            flush=True,
        )
        for role, (email, *_rest) in DEV_ACCOUNTS.items():
            print(f"    {role:<16} {email}", flush=True)  # noqa: T201
        print(flush=True)  # noqa: T201
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)


def _development_accounts(app: Flask) -> str:
    """An account for each role, with a new password at each start (printed, never stored in clear).

    Only the development configuration calls this; production never creates accounts."""
    from .accounts.users import create_user, ensure_organisation, hash_password
    from .extensions import db
    from .storage.models import User

    password = secrets.token_urlsafe(12)
    with app.app_context():
        for role, (email, slug, name, kind) in DEV_ACCOUNTS.items():
            organisation = ensure_organisation(db.session, slug, name, kind)
            user = db.session.query(User).filter_by(email=email).one_or_none()
            if user is None:
                create_user(db.session, email, f"Development {role}", role, organisation, password)
            else:
                user.password_hash = hash_password(password)
                user.session_version += 1
        db.session.commit()
    return password


if __name__ == "__main__":
    main()
