"""The baseline for bench/concurrency.py: a bare Flask-SocketIO server whose one event commits a row.

    DATABASE_URL=sqlite:///echo.db PORT=5001 .venv/bin/python bench/echo_server.py

Served the way `make run` serves the assistant (one process, gevent's server, a greenlet per
connection) on the same database tuning (assistant.storage.database.tune: on SQLite, WAL, the
in-process write lock and BEGIN IMMEDIATE), so a turn can be compared with the least a durable
acknowledgement costs: receive an event, commit one row, acknowledge.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # as assistant/serve.py does, first

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.storage.database import tune  # noqa: E402

metadata = MetaData()
echoes = Table("echoes", metadata, Column("id", Integer, primary_key=True), Column("body", String(200)))


def main() -> None:
    url = os.environ["DATABASE_URL"]
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))  # as the app configures it
    tune(engine)
    metadata.create_all(engine)
    app = Flask(__name__)
    socketio = SocketIO(app, async_mode="gevent")

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @socketio.on("echo")
    def echo(data: Any) -> dict[str, Any]:
        with engine.begin() as connection:
            connection.execute(insert(echoes).values(body=str(data.get("value", ""))[:200]))
        return {"ok": True, "value": data.get("value")}

    socketio.run(app, port=int(os.environ["PORT"]), use_reloader=False, log_output=False)


if __name__ == "__main__":
    main()
