"""Engine tuning. On SQLite (one process, the embedded default) every transaction but a read-only one
(below) takes the write lock up front (BEGIN IMMEDIATE), so writes are serialised there as PostgreSQL
serialises them with a row lock. Threads of the process queue on a lock of their own first: SQLite's
busy handler would otherwise make them poll with sleeps, which shows up as long tail latencies.
Several processes on one file (`make serve`) then queue on a file lock (`writer_lock.py`), for the
same reason.

A transaction begun with the READ_ONLY execution option (`unit_of_work.reading`) takes none of these:
in WAL mode a reader waits for no writer. A chat turn reads and works out its change in one, then
holds the write lock only to store it.

Durability on SQLite: WAL with synchronous=NORMAL. A commit is written to the WAL before it returns
(so before any acknowledgement), and survives the process being killed (kill -9, a crash); the WAL
is synced to disk only at checkpoints, so a power cut or an operating-system crash may lose the
last commits (the database stays consistent). Where that matters, run on PostgreSQL (docs/performance.md)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from .files import create_private
from .writer_lock import WriterLock

_HELD = "sqlite_write_lock_held"
READ_ONLY = "read_only"  # a connection's execution option: its transaction will not write


def tune(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    lock = threading.Lock()
    on_file = engine.url.database not in (None, "", ":memory:") and not engine.url.query.get("uri")
    writers = WriterLock(Path(f"{engine.url.database}.writer-lock")) if on_file else None

    @event.listens_for(engine, "do_connect")
    def _private_file(_dialect: Any, _record: Any, _args: Any, _kwargs: Any) -> None:
        # SQLite would create the file world-readable; its -wal and -shm files copy the file's mode
        if on_file:
            create_private(Path(str(engine.url.database)))

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions start with the BEGIN below, not the driver's
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # no fsync per commit: see the module's note
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            _driver(connection).execute("BEGIN")  # deferred: one snapshot for its reads, no lock
            return
        lock.acquire()
        try:
            if writers is not None:
                writers.acquire()
        except BaseException:  # the file lock not taken (a greenlet killed while it waited): not released
            lock.release()
            raise
        connection.info[_HELD] = True
        try:
            _driver(connection).execute("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection)
            raise

    def _release(connection: Any) -> None:
        if connection.info.pop(_HELD, False):
            if writers is not None:
                writers.release()
            lock.release()

    # SQLAlchemy announces a commit or rollback before it asks the driver for it. Letting the locks go
    # then would let the next writer's BEGIN IMMEDIATE meet SQLite's lock, still held while the commit
    # writes the WAL (and at times checkpoints), and wait in its busy handler, whose naps in C stall a
    # gevent process whole. So the driver ends the transaction here, and SQLAlchemy's own call after
    # finds none to end (the connection is back in autocommit mode).
    @event.listens_for(engine, "commit")
    def _commit(connection: Any) -> None:
        if connection.info.get(_HELD):
            try:
                _driver(connection).commit()
            except BaseException:
                _release_after_rollback(connection)
                raise
            _release(connection)

    @event.listens_for(engine, "rollback")
    def _release_after_rollback(connection: Any) -> None:
        if connection.info.get(_HELD):
            try:
                _driver(connection).rollback()
            finally:
                _release(connection)


def _driver(connection: Any) -> Any:
    """The sqlite3 connection under SQLAlchemy's: BEGIN, COMMIT and ROLLBACK go to it directly, as
    SQLAlchemy's own execution around a statement with no parameters and no result was a twentieth
    of a chat turn's CPU."""
    return connection.connection.dbapi_connection
