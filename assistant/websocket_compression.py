"""WebSocket compression (permessage-deflate, RFC 7692) that keeps no zlib state between messages.

simple-websocket, which serves the WebSockets on gevent, accepts a browser's offer of permessage-deflate
with its defaults: context takeover both ways, so every connection keeps a zlib compressor (about 256 KiB
at zlib's defaults) and a decompressor (about 40 KiB) for as long as it is open, idle or not. Without
context takeover each message is compressed on its own: the state lives while one message is compressed,
and a connection costs nothing more while idle. A chat message is a whole JSON object that compresses well
on its own; the benchmarks in docs/performance.md weigh the bytes this gives up.
"""

from __future__ import annotations

from wsproto.extensions import PerMessageDeflate


class PerMessageDeflateWithoutContext(PerMessageDeflate):
    def __init__(self) -> None:
        super().__init__(client_no_context_takeover=True, server_no_context_takeover=True)


def without_context_takeover() -> None:
    """What simple-websocket accepts from now on (it names the extension's class when it answers a handshake)."""
    import simple_websocket.ws

    simple_websocket.ws.PerMessageDeflate = PerMessageDeflateWithoutContext
