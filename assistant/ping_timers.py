"""Engine.IO's pings wait on a timer, not in a sleeping greenlet per connection.

After each pong, Engine.IO starts a background task that sleeps for the ping interval (25 s) and then
sends the next ping: under gevent, a greenlet per open connection, suspended nearly all the time, with
its slice of the C stack saved on the heap and a frame stack of its own (about 8 KiB an idle connection,
docs/performance.md, "Memory per idle connection"). gevent's ``spawn_later`` waits on the event loop's
timer instead and starts the greenlet only when the ping is due, for the moment it takes to queue it.
"""

from __future__ import annotations

import time
from typing import Any


def _schedule_ping(self: Any) -> None:
    # engineio.socket.Socket.schedule_ping, with gevent's timer in place of a task that sleeps first
    import gevent

    if self.last_ping:  # only once the previous ping's wait is over
        self.last_ping = None
        gevent.spawn_later(self.server.ping_interval, _send_ping, self)


def _send_ping(self: Any) -> None:
    # engineio.socket.Socket._send_ping after its sleep
    from engineio import packet  # type: ignore[import-untyped]

    if not self.closing and not self.closed:
        self.last_ping = time.time()
        self.send(packet.Packet(packet.PING))


def ping_from_timers(engineio_server: Any) -> None:
    """Under gevent, make the Engine.IO sockets of this process schedule their pings on gevent's timers."""
    if engineio_server.async_mode != "gevent":
        return
    from engineio import socket

    socket.Socket.schedule_ping = _schedule_ping
