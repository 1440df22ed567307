"""One writer at a time across the processes that share an SQLite file (`make serve` on SQLite).

SQLite orders writers itself, but a process that finds its write lock taken waits in SQLite's busy
handler, which sleeps in C, for 1 ms, then 2, 5, 10 ... up to 100 ms a time: under gevent that stalls
every connection of the process, and the lock may have been free for most of the nap. Here the processes
take turns at an flock of a file beside the database instead, tried without blocking and retried after
short naps: gevent's, when it has patched the process, so the process's other greenlets run meanwhile.
(Waiting in a thread blocked in flock was slower under load: the woken thread must win the GIL back from
a busy process.) A crashed process holds nothing. Within a process, callers queue on their own lock
first (`database.tune`)."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from .files import create_private

NAP = 0.0005  # between tries: a turn holds the lock only while it stores itself


class WriterLock:
    def __init__(self, path: Path) -> None:
        create_private(path)
        self._path = path
        self._fd = -1
        self._pid = -1

    def acquire(self) -> None:
        fd = self._descriptor()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                time.sleep(NAP)

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _descriptor(self) -> int:
        # An flock belongs to an open file, which a forked process shares with its parent (a server
        # that forks its workers): each process opens the file for itself, or they would not exclude.
        if self._pid != os.getpid():
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CLOEXEC), os.getpid()
        return self._fd
