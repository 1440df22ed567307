"""The NRM referral assistant."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ROOT, config_for

if TYPE_CHECKING:  # the package root stays light: `import assistant.engine` must not load Flask
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None, env: str | None = None) -> Flask:
    """Build the app: configuration, extensions, flows, routes, Socket.IO events and commands."""
    from flask import Flask
    from flask_talisman import Talisman

    from .accounts.sessions import init_sessions
    from .cards import Cards
    from .cli import conversations_cli, flows_cli, i18n_cli, intake_cli, users_cli
    from .cli_api import api_clients_cli
    from .engine import FlowError, FlowRegistry
    from .extensions import babel, compress, csrf, db, limiter, migrate, socketio
    from .i18n import offered_languages, select_locale
    from .lookups import Lookups
    from .packets import GuardedPacket, MalformedPayloads
    from .realtime import AssistantNamespace, on_error
    from .response_headers import SecurityHeaders, flask_response_headers
    from .storage.crypto import keyring
    from .storage.database import tune
    from .web import register

    settings = config_for(env)
    app = Flask(__name__, static_folder=settings.STATIC_DIR, instance_path=str(ROOT / "instance"))
    app.config.from_object(settings)
    app.config.update(config or {})
    _secrets(app)
    keyring.configure(app.config["DATA_ENCRYPTION_KEYS"])
    app.extensions["languages"] = offered_languages(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    _log_missing_translations(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("transitions").setLevel(logging.WARNING)  # it logs every callback at INFO
    engineio_log = logging.getLogger("engineio.server")
    if not any(isinstance(f, MalformedPayloads) for f in engineio_log.filters):
        engineio_log.addFilter(MalformedPayloads())

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["FORCE_HTTPS"],
        content_security_policy={
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
        },
        # same-origin, not no-referrer: over HTTPS the CSRF check needs the Referer of our own pages
        # (addresses never hold personal data); other sites get nothing.
        referrer_policy="same-origin",
        content_security_policy_nonce_in=["script-src", "style-src"],
    )
    app.config.setdefault("COMPRESS_REGISTER", False)  # only the views decorated with compress.compressed()
    compress.init_app(app)
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        cors_allowed_origins=app.config["SOCKETIO_ALLOWED_ORIGINS"],
        max_http_buffer_size=app.config["MAX_EVENT_BYTES"],
        serializer=GuardedPacket,
    )
    if not socketio.namespace_handlers:
        socketio.on_namespace(AssistantNamespace("/"))
        socketio.on_error_default(on_error)

    lookups = Lookups(app.config["LISTS_DIR"])
    registry = FlowRegistry(lookups, lookups.names)
    try:
        registry.load_dir(app.config["FLOWS_DIR"])  # one engine and machine per flow version, built now
    except FlowError as error:  # every problem with its file and line, not a traceback (flask flows check too)
        raise SystemExit("\n".join([*map(str, error.problems), f"{len(error.problems)} problem(s) found."])) from None
    if registry.current(app.config["DEFAULT_FLOW"]) is None:
        raise SystemExit(f"DEFAULT_FLOW: no flow called {app.config['DEFAULT_FLOW']!r} in {app.config['FLOWS_DIR']}")
    app.extensions["lookups"] = lookups
    app.extensions["flows"] = registry
    app.extensions["cards"] = Cards(app.config["CARDS_FILE"])

    with app.app_context():
        tune(db.engine)

    @app.after_request
    def _no_store(response: Any) -> Any:
        response.headers.setdefault("Cache-Control", "no-store")
        if response.status_code not in (429, 503):  # the rate limiter adds it to every answer
            response.headers.pop("Retry-After", None)
        return response

    register(app)
    limiter.init_app(app)
    init_sessions(app)
    csrf.init_app(app)
    app.cli.add_command(flows_cli)
    app.cli.add_command(intake_cli)
    app.cli.add_command(i18n_cli)
    app.cli.add_command(conversations_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(api_clients_cli)
    trust_proxies(app)
    # last, once every after_request is in place: /socket.io/ answers get the headers too
    # Wrapping wsgi_app is Flask's documented way to add middleware; mypy sees a method being replaced.
    app.wsgi_app = SecurityHeaders(app.wsgi_app, flask_response_headers(app))  # type: ignore[method-assign]
    return app


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` load balancers, take the client's address and scheme from the
    headers they add, so each client has its own rate limits and HTTPS is recognised. Wraps the
    Socket.IO middleware too, so its handshakes see the same address."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    count = app.config["TRUSTED_PROXIES"]
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]  # as above


def _secrets(app: Flask) -> None:
    """Development gets random secrets kept in the instance folder; production must be given them."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'assistant.db'}"
    if app.config["CREATE_DEV_SECRETS"] and not (app.config["SECRET_KEY"] and app.config["DATA_ENCRYPTION_KEYS"]):
        from .storage.crypto import new_key
        from .storage.files import write_private

        path = Path(app.instance_path) / "dev-secrets.json"
        if not path.exists():
            fresh = {"SECRET_KEY": secrets.token_urlsafe(32), "DATA_ENCRYPTION_KEYS": f"dev:{new_key()}"}
            write_private(path, json.dumps(fresh))
        stored = json.loads(path.read_text())
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or stored["SECRET_KEY"]
        app.config["DATA_ENCRYPTION_KEYS"] = app.config["DATA_ENCRYPTION_KEYS"] or stored["DATA_ENCRYPTION_KEYS"]
    missing = [k for k in ("SECRET_KEY", "DATA_ENCRYPTION_KEYS") if not app.config.get(k)]
    if missing:
        raise RuntimeError(f"refusing to start: set {' and '.join(missing)} in the environment")


def _log_missing_translations(app: Flask) -> None:
    """Each string an offered language lacks is logged once, at start-up: it will show in English."""
    from .i18n import missing_strings

    log = logging.getLogger("assistant.i18n")
    codes = [code for code in app.extensions["languages"] if code != "en"]
    for code, missing in missing_strings(codes, Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])).items():
        for context, msgid in missing:
            log.warning("missing translation: %s %s %r falls back to English", code, context or "-", msgid[:60])
