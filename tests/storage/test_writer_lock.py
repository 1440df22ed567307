"""Processes sharing an SQLite file queue on a file lock; under gevent only the waiting greenlet waits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from assistant.storage.database import tune
from assistant.storage.writer_lock import WriterLock


def test_two_engines_on_one_file_write_one_after_the_other(tmp_path: Path) -> None:
    """Two engines stand for two processes: each has its own in-process lock and its own open lock file."""
    path = tmp_path / "shared.db"
    first, second = create_engine(f"sqlite:///{path}"), create_engine(f"sqlite:///{path}")
    tune(first)
    tune(second)
    with first.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE events (name TEXT)")
    began = threading.Event()
    order: list[str] = []

    def other_process() -> None:
        began.wait()
        with second.begin() as connection:  # waits for the first engine's transaction to end
            order.append("second")
            connection.exec_driver_sql("INSERT INTO events VALUES ('second')")

    waiter = threading.Thread(target=other_process)
    waiter.start()
    with first.begin() as connection:
        began.set()
        time.sleep(0.2)
        order.append("first")
        connection.exec_driver_sql("INSERT INTO events VALUES ('first')")
    waiter.join(10)
    assert order == ["first", "second"]
    assert (path.parent / "shared.db.writer-lock").stat().st_mode & 0o077 == 0
    first.dispose()
    second.dispose()


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_the_locks_are_let_go_only_once_sqlite_has_ended_the_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, end: str
) -> None:
    """SQLAlchemy announces a commit before it makes it: a lock let go then would send the next
    writer into SQLite's busy handler while the commit still holds SQLite's own lock."""
    engine = create_engine(f"sqlite:///{tmp_path / 'one.db'}")
    tune(engine)
    happened: list[str] = []
    release = WriterLock.release

    def released(lock: WriterLock) -> None:
        happened.append("released")
        release(lock)

    monkeypatch.setattr(WriterLock, "release", released)
    with engine.connect() as connection:
        connection.connection.dbapi_connection.set_trace_callback(happened.append)
        transaction = connection.begin()
        connection.exec_driver_sql("CREATE TABLE events (name TEXT)")
        happened.clear()
        getattr(transaction, end)()
        assert happened == [end.upper(), "released"]
        connection.connection.dbapi_connection.set_trace_callback(None)
    engine.dispose()


def test_a_wait_for_the_file_lock_cut_short_leaves_both_locks_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A greenlet killed while it waits for the file lock must not release a lock it never took (the
    file's descriptor may not even be open), nor keep the process's own lock from its other writers."""
    engine = create_engine(f"sqlite:///{tmp_path / 'one.db'}")
    tune(engine)

    def cut_short(_lock: WriterLock) -> None:
        raise TimeoutError

    with monkeypatch.context() as patched:
        patched.setattr(WriterLock, "acquire", cut_short)
        with pytest.raises(TimeoutError), engine.begin():
            pass
    done = threading.Event()

    def write() -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE events (name TEXT)")
        done.set()

    threading.Thread(target=write, daemon=True).start()
    assert done.wait(10), "the process's writer lock was left held"
    engine.dispose()


def test_under_gevent_a_greenlet_waiting_for_the_lock_leaves_the_others_running(tmp_path: Path) -> None:
    """If the wait blocked the process, the ticker could not run and the holder would never let go."""
    script = textwrap.dedent(
        f"""
        from gevent import monkey
        monkey.patch_all()
        import gevent
        from pathlib import Path
        from assistant.storage.writer_lock import WriterLock

        path = Path({str(tmp_path / "lock")!r})
        holder, waiter = WriterLock(path), WriterLock(path)  # two open files, as two processes have
        holder.acquire()
        ticks = []

        def tick():
            for _ in range(10):
                gevent.sleep(0.01)
                ticks.append(1)
            holder.release()

        def wait():
            waiter.acquire()
            print("acquired after", len(ticks), "ticks")

        gevent.joinall([gevent.spawn(wait), gevent.spawn(tick)], timeout=10)
        """
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=20)
    assert done.stdout.strip() == "acquired after 10 ticks", done.stderr


def test_a_forked_child_opens_the_lock_file_for_itself(tmp_path: Path) -> None:
    lock = WriterLock(tmp_path / "lock")
    lock.acquire()
    lock.release()
    inherited = lock._fd
    lock._pid = -1  # as in a child after fork: another process id
    lock.acquire()
    assert lock._fd != inherited
    lock.release()
