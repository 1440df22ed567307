"""A WebSocket is read by the greenlet (or thread) that waits for its messages, not by one of its own.

simple-websocket starts a reader thread per connection (a greenlet under gevent) that reads the socket
and hands each message over through an event, while Engine.IO's handler, which started it, sits waiting
on that event. Under gevent every suspended greenlet keeps its slice of the C stack on the heap and a
frame stack of its own, so for an idle connection the reader costs about 10 KiB (docs/performance.md,
"Memory per idle connection"). Here the handler reads the socket itself when it waits for a message;
everything else (the handshake, compression, the size limit, answering pings and closes) is still
simple-websocket's, through the same wsproto connection. Once the WebSocket is open, wsproto's handshake
(an HTTP parser with the request) is let go as well: it is not used again, and it would stay as long.
"""

from __future__ import annotations

from typing import Any

import simple_websocket
from simple_websocket.errors import ConnectionClosed
from wsproto.utilities import LocalProtocolError


class _NoReader:
    """Takes the place of the thread class simple-websocket starts its reader with: nothing is started."""

    name = ""

    def __init__(self, target: Any) -> None:
        pass

    def start(self) -> None:
        pass


class _Opened:
    """What wsproto asks of a finished handshake: the events it has left, none once the socket is open."""

    def events(self) -> tuple[()]:
        return ()


class ReadWhenWaited(simple_websocket.Server):
    """simple-websocket's server whose ``receive`` reads the socket until a whole message has arrived."""

    def __init__(self, environ: dict[str, Any], **kwargs: Any) -> None:
        kwargs["thread_class"] = _NoReader
        super().__init__(environ, **kwargs)  # the handshake is done by now
        if self.ws.connection is not None:
            self.ws.handshake = _Opened()  # its HTTP parser's state would stay for as long as the socket is open

    def receive(self, timeout: float | None = None) -> Any:
        while self.connected and not self.input_buffer:
            self._read_once()  # what simple-websocket's reader does in its loop
        if self.input_buffer:
            return self.input_buffer.pop(0)
        raise ConnectionClosed(self.close_reason, self.close_message)

    def _read_once(self) -> None:
        try:
            data = self.sock.recv(self.receive_bytes)
            if not data:
                raise OSError
            self.ws.receive_data(data)
            self.connected = self._handle_events()
        except (OSError, LocalProtocolError):
            self.connected = False
        if not self.connected:
            self.sock.close()


def read_when_waited(engineio_server: Any) -> None:
    """Make ``engineio_server``'s WebSockets read in the handler that waits for them (simple-websocket's only)."""
    from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI  # type: ignore[import-untyped]

    transport = engineio_server._async.get("websocket")  # the class Engine.IO opens each WebSocket with
    if transport is None or not issubclass(transport, SimpleWebSocketWSGI) or getattr(transport, "reads", False):
        return

    class Reading(transport):  # type: ignore[misc, valid-type]
        reads = True

        def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
            # SimpleWebSocketWSGI.__call__, with this server in place of simple-websocket's own
            self.ws = ReadWhenWaited(environ, **self.server_args)
            result = self.app(self)
            if self.ws.mode == "gunicorn":
                raise StopIteration()
            if self.ws.mode == "werkzeug":
                raise ConnectionError()
            return result

    engineio_server._async["websocket"] = Reading
