"""One writer at a time across the processes that share an SQLite file (`make serve` on SQLite).

SQLite orders writers itself, but a process that finds its write lock taken waits in SQLite's busy
handler, which sleeps in C, for 1 ms, then 2, 5, 10 ... up to 100 ms a time: under gevent that stalls
every connection of the process, and the lock may have been free for most of the nap. Here the processes
queue on an flock of a file beside the database instead. A free lock is taken at once (a non-blocking
try); a taken one is waited for in a thread of gevent's pool, so the process's other greenlets run
meanwhile, and the kernel wakes the waiter as soon as the holder lets go (or exits: a crashed process
holds nothing). Within a process, callers queue on their own lock first (`database.tune`)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .files import create_private


class WriterLock:
    def __init__(self, path: Path) -> None:
        create_private(path)
        self._path = path
        self._fd = -1
        self._pid = -1

    def acquire(self) -> None:
        fd = self._descriptor()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _wait(fcntl.flock, fd, fcntl.LOCK_EX)

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _descriptor(self) -> int:
        # An flock belongs to an open file, which a forked process shares with its parent (a server
        # that forks its workers): each process opens the file for itself, or they would not exclude.
        if self._pid != os.getpid():
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CLOEXEC), os.getpid()
        return self._fd


def _wait(call: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking call in gevent's thread pool when gevent has patched the process, so that only
    the calling greenlet waits; in a plain thread otherwise."""
    try:
        from gevent import get_hub, monkey
    except ImportError:  # gevent is a dependency of the server, not of every tool that opens the database
        return call(*args)
    if not monkey.is_module_patched("threading"):
        return call(*args)
    return get_hub().threadpool.apply(call, args)
