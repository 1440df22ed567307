"""`make run`: serve the assistant on the embedded defaults (one process, SQLite) and print its URL."""

from __future__ import annotations

import os

from . import create_app
from .extensions import socketio


def main() -> None:
    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"\n  NRM referral assistant running at http://{host}:{port}/  (Ctrl+C to stop)\n", flush=True)  # noqa: T201
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)


if __name__ == "__main__":
    main()
