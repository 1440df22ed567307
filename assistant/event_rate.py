"""How many events one Socket.IO connection may send: at most a number in any 60 seconds.

A moving window kept as the times of the connection's last events (never more than the limit), in
the process that holds the connection: a connection lives in one process, so its count needs no
shared storage and no network round trip. Nothing runs between events. The limits library's
in-memory storage, used before, swept every key from a timer a hundred times a second while events
came in: a tenth of the server's CPU at 500 connections.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class EventRate:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._sent: dict[str, deque[float]] = {}  # by connection: its last events' times, oldest first

    def allow(self, connection: str) -> bool:
        """Count an event of ``connection``, unless it has already sent the limit in the last minute."""
        now = self._clock()
        sent = self._sent.get(connection)
        if sent is None:
            sent = self._sent[connection] = deque(maxlen=self._limit)
        if len(sent) == self._limit and now - sent[0] < WINDOW_SECONDS:
            return False  # refused events are not counted, as in a moving window
        sent.append(now)  # the oldest time drops out of a full deque
        return True

    def forget(self, connection: str) -> None:
        self._sent.pop(connection, None)
