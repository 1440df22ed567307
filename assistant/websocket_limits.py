"""A WebSocket message over the event size limit is refused while it arrives, not after it is held whole.

Engine.IO checks ``max_http_buffer_size`` on long-polling requests, and on a WebSocket message only once
simple-websocket has buffered all of it, which can be before the connection has signed in. simple-websocket
can itself close a connection whose message grows past a size (close code 1009, "message too big"); Engine.IO
does not pass it that size, so the transport class it uses is given it here.
"""

from __future__ import annotations

from typing import Any


def limit_message_size(engineio_server: Any) -> None:
    """Make ``engineio_server``'s WebSockets refuse a message larger than its ``max_http_buffer_size``."""
    transport = engineio_server._async.get("websocket")  # the class Engine.IO opens each WebSocket with
    if transport is None or getattr(transport, "limits_message_size", False):
        return

    class Limited(transport):  # type: ignore[misc, valid-type]
        limits_message_size = True

        def __init__(self, handler: Any, server: Any) -> None:
            super().__init__(handler, server)
            if hasattr(self, "server_args"):  # simple-websocket's server, under threads and gevent alike
                self.server_args["max_message_size"] = server.max_http_buffer_size

    engineio_server._async["websocket"] = Limited
