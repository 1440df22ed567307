"""`make run` and `make serve`: the assistant on gevent's WSGI server, one process per core.

    python -m assistant.serve                    # one process (`make run`): URL and development accounts
    PROCESSES=2 SOCKETIO_MESSAGE_QUEUE=redis://127.0.0.1:6379/0 python -m assistant.serve   # `make serve`

Each connection is served by greenlets rather than a thread (about 49 KiB an idle conversation,
docs/performance.md), so thousands of idle conversations fit in one process. One Python process uses
one core: with ``PROCESSES`` above 1 this process starts that many servers on consecutive ports from
``PORT``, which share events through the Redis message queue; a proxy with sticky sessions goes in front
of them (deploy/nginx.conf).
"""

from gevent import monkey

# First, before anything else opens a socket or takes a lock: sockets, locks, sleeps and the Redis and
# PostgreSQL clients' waits then yield to other greenlets instead of blocking the process.
monkey.patch_all()

import gevent  # noqa: E402

# No record of which greenlet spawned which, with its stack (gevent's default, for debugging): a few KiB
# for each of a connection's greenlets, for as long as it is open.
gevent.config.track_greenlet_tree = False

import os  # noqa: E402 - after the monkey-patching, on purpose
import secrets  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from flask import Flask  # noqa: E402
from gevent import pywsgi  # noqa: E402

from . import create_app  # noqa: E402
from .accounts.roles import Role  # noqa: E402
from .extensions import socketio  # noqa: E402

# Development-only accounts, one per role, so every part of the service can be tried locally.
DEV_ACCOUNTS = {
    Role.FIRST_RESPONDER: ("dev@example.org", "development", "Development organisation (not real)", "ngo"),
    Role.CASEWORKER: ("dev-caseworker@example.org", "single-competent-authority", "Single Competent Authority", "unit"),
    Role.PANEL: ("dev-panel@example.org", "independent-panel", "Independent review panel", "panel"),
    Role.ANALYST: ("dev-analyst@example.org", "single-competent-authority", "Single Competent Authority", "unit"),
    Role.ADMIN: ("dev-admin@example.org", "single-competent-authority", "Single Competent Authority", "unit"),
}
# Set in the servers that a multi-process parent starts: the parent prints and makes the accounts.
CHILD = "ASSISTANT_SERVE_CHILD"


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    processes = int(os.environ.get("PROCESSES", "1"))
    if processes > 1 and not os.environ.get("SOCKETIO_MESSAGE_QUEUE"):
        raise SystemExit("PROCESSES above 1 needs SOCKETIO_MESSAGE_QUEUE (redis://...): the servers share events there")
    app = create_app()
    if not os.environ.get(CHILD):
        _announce(app, host, port, processes)
    if processes > 1:
        _supervise(host, port, processes)
        return
    socketio.run(app, host=host, port=port, use_reloader=False, log_output=False, handler_class=LeanRequests)


class LeanRequests(pywsgi.WSGIHandler):
    """gevent's request handler, holding less for the life of a connection: a WebSocket stays in its
    request for as long as it is open, so what the handler keeps is kept per open conversation.

    - The request is read through a 1 KiB buffer instead of 8 KiB: a WebSocket is then read from the
      socket itself (simple-websocket), so the buffer would sit unused. Lines are read one at a time and
      larger bodies go past the buffer, so a small one costs a read or two more per request, not copies.
    - The parsed headers are let go once they are in the WSGI environ, which the application reads."""

    def __init__(self, sock: Any, address: Any, server: Any) -> None:
        super().__init__(sock, address, server)
        self.rfile = sock.makefile("rb", READ_BUFFER_BYTES)  # in place of the default one, freed here

    def run_application(self) -> None:
        self.headers = None  # read again for the connection's next request, if any
        super().run_application()


READ_BUFFER_BYTES = 1024


def _announce(app: Flask, host: str, port: int, processes: int) -> None:
    ports = f"{port}" if processes == 1 else f"{port} to {port + processes - 1}"
    print(f"\n  NRM referral assistant running at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)  # noqa: T201
    if processes > 1:
        print(f"  {processes} processes on ports {ports}: put a sticky proxy in front of them", flush=True)  # noqa: T201
    if app.config["ENV_NAME"] == "development":
        password = _development_accounts(app)
        print(  # noqa: T201
            f"  Sign in at http://{host}:{port}/sign-in (development accounts, password {password}):",
            flush=True,
        )
        for role, (email, *_rest) in DEV_ACCOUNTS.items():
            print(f"    {role:<16} {email}", flush=True)  # noqa: T201
        print(flush=True)  # noqa: T201


def _supervise(host: str, port: int, processes: int) -> None:
    """One server per process on ports ``port``, ``port + 1``, ...; stop them all when one stops or on a signal."""
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant.serve"],
            env={**os.environ, CHILD: "1", "PROCESSES": "1", "HOST": host, "PORT": str(port + index)},
        )
        for index in range(processes)
    ]

    def stop(_signum: int, _frame: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)  # gevent's sleep: its child watcher, not os.wait, reaps the servers
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            child.wait()


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
