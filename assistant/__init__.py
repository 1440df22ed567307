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
    from .security import cover_every_response
    from .static_files import serve_static

    app = _configured(config, env)
    _init_logging()
    _init_extensions(app)
    _load_flows(app)
    _register_routes_and_commands(app)
    serve_static(app)
    trust_proxies(app)
    cover_every_response(app)  # last: it copies what every after_request adds
    return app


def _configured(config: Mapping[str, Any] | None, env: str | None) -> Flask:
    """The Flask app with its settings, secrets, encryption keys and offered languages."""
    from flask import Flask

    from .i18n import offered_languages
    from .storage.crypto import keyring

    settings = config_for(env)
    app = Flask(__name__, static_folder=settings.STATIC_DIR, instance_path=str(ROOT / "instance"))
    app.config.from_object(settings)
    app.config.update(config or {})
    _secrets(app)
    keyring.configure(app.config["DATA_ENCRYPTION_KEYS"])
    app.extensions["languages"] = offered_languages(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    with_cards = offered_languages(app.config["BABEL_TRANSLATION_DIRECTORIES"], cards=True)
    app.extensions["card_only_languages"] = {code: lang for code, lang in with_cards.items() if lang.cards_only}
    _log_missing_translations(app)
    return app


def _init_logging() -> None:
    from .packets import MalformedPayloads

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("transitions").setLevel(logging.WARNING)  # it logs every callback at INFO
    engineio_log = logging.getLogger("engineio.server")
    if not any(isinstance(f, MalformedPayloads) for f in engineio_log.filters):
        engineio_log.addFilter(MalformedPayloads())


def _init_extensions(app: Flask) -> None:
    """The database, translations, security headers, compression and Socket.IO with its events."""
    from .extensions import babel, compress, db, migrate, socketio
    from .fonts import stylesheet
    from .i18n import languages, select_locale
    from .language_page import language_page
    from .packets import GuardedPacket
    from .ping_timers import ping_from_timers
    from .realtime import AssistantNamespace, on_error
    from .security import init_security
    from .websocket_compression import without_context_takeover
    from .websocket_limits import limit_message_size
    from .websocket_reading import read_when_waited

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # a file cannot drop a connection: no ping before each checkout (one statement per event saved)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["script_font"] = stylesheet  # a page in a script a phone may lack links its font
    app.jinja_env.globals["offered_languages"] = lambda: [lang.as_json() for lang in languages().values()]
    app.jinja_env.globals["language_page"] = language_page
    init_security(app)
    app.config.setdefault("COMPRESS_REGISTER", False)  # only the views decorated with compress.compressed()
    compress.init_app(app)
    without_context_takeover()  # no zlib state kept per open WebSocket
    socketio.init_app(
        app,
        async_mode=async_mode(),
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        cors_allowed_origins=app.config["SOCKETIO_ALLOWED_ORIGINS"],
        max_http_buffer_size=app.config["MAX_EVENT_BYTES"],
        serializer=GuardedPacket,
    )
    read_when_waited(socketio.server.eio)  # no reader greenlet per open WebSocket
    limit_message_size(socketio.server.eio)
    ping_from_timers(socketio.server.eio)  # no sleeping greenlet per connection between pings
    if not socketio.namespace_handlers:
        socketio.on_namespace(AssistantNamespace("/"))
        socketio.on_error_default(on_error)


def async_mode() -> str:
    """gevent in a process that gevent has monkey-patched (`make run`, `make serve`, gunicorn's gevent
    worker); threads elsewhere (tests, `flask` commands), where blocking calls would stall a hub."""
    try:
        from gevent import monkey
    except ImportError:  # gevent is a dependency, but nothing here needs it to run threaded
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _load_flows(app: Flask) -> None:
    """The lists, the flows (one engine and machine per flow version, built now), the drafts' states the
    engines last moved on (recent_turns.py) and the cards."""
    from .cards import Cards
    from .engine import FlowError, FlowRegistry
    from .extensions import db
    from .lookups import Lookups
    from .recent_turns import RecentTurns
    from .storage.database import tune

    lookups = Lookups(app.config["LISTS_DIR"])
    registry = FlowRegistry(lookups, lookups.names)
    try:
        registry.load_dir(app.config["FLOWS_DIR"])
    except FlowError as error:  # every problem with its file and line, not a traceback (flask flows check too)
        raise SystemExit("\n".join([*map(str, error.problems), f"{len(error.problems)} problem(s) found."])) from None
    if registry.current(app.config["DEFAULT_FLOW"]) is None:
        raise SystemExit(f"DEFAULT_FLOW: no flow called {app.config['DEFAULT_FLOW']!r} in {app.config['FLOWS_DIR']}")
    app.extensions["lookups"] = lookups
    app.extensions["flows"] = registry
    app.extensions["recent_turns"] = RecentTurns(app.config["RECENT_TURNS"])
    app.extensions["cards"] = Cards(app.config["CARDS_FILE"])

    with app.app_context():
        tune(db.engine)


def _register_routes_and_commands(app: Flask) -> None:
    """The blueprints, rate limits, staff sessions, CSRF protection and the flask commands."""
    from .accounts.sessions import init_sessions
    from .cli import conversations_cli, flows_cli, i18n_cli, intake_cli, users_cli
    from .cli_api import api_clients_cli
    from .cli_stats import demo_cli
    from .cli_translation import export_reviews  # noqa: F401 - adds its commands to flask i18n
    from .extensions import csrf, limiter
    from .web import register

    register(app)
    limiter.init_app(app)
    init_sessions(app)
    csrf.init_app(app)
    for command in (
        flows_cli,
        intake_cli,
        i18n_cli,
        conversations_cli,
        users_cli,
        api_clients_cli,
        demo_cli,
    ):
        app.cli.add_command(command)


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` load balancers, take the client's address and scheme from the
    headers they add, so each client has its own rate limits and HTTPS is recognised. Wraps the
    Socket.IO middleware too, so its handshakes see the same address."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    count = app.config["TRUSTED_PROXIES"]
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]  # middleware


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
    directory = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    codes = [code for code in app.extensions["languages"] if code != "en"]
    cards_only = list(app.extensions["card_only_languages"])
    found = {**missing_strings(codes, directory), **missing_strings(cards_only, directory, cards_only=True)}
    for code, missing in found.items():
        for context, msgid in missing:
            log.warning("missing translation: %s %s %r falls back to English", code, context or "-", msgid[:60])
