"""`make run`: serve the assistant on the embedded defaults (one process, SQLite) and print its URL."""

from __future__ import annotations

import os
import secrets

from flask import Flask

from . import create_app
from .extensions import socketio

DEV_EMAIL = "dev@example.org"


def main() -> None:
    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"\n  NRM referral assistant running at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)  # noqa: T201
    if app.config["ENV_NAME"] == "development":
        password = _development_account(app)
        print(f"  Staff sign-in (development only): http://{host}:{port}/sign-in  "  # noqa: T201
              f"{DEV_EMAIL} / {password}\n", flush=True)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)


def _development_account(app: Flask) -> str:
    """A first-responder account for trying the service locally, with a new password each start.

    Only the development configuration calls this; production never creates accounts."""
    from .accounts.users import create_user, ensure_organisation
    from .extensions import db
    from .storage.models import User

    password = secrets.token_urlsafe(12)
    with app.app_context():
        organisation = ensure_organisation(db.session, "development", "Development organisation (not real)", "ngo")
        user = db.session.query(User).filter_by(email=DEV_EMAIL).one_or_none()
        if user is None:
            create_user(db.session, DEV_EMAIL, "Development user", "first-responder", organisation, password)
        else:
            from .accounts.users import hash_password

            user.password_hash = hash_password(password)
            user.session_version += 1
        db.session.commit()
    return password


if __name__ == "__main__":
    main()
