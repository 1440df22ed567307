"""Socket.IO packets and Engine.IO payloads as the libraries decode them, malformed ones dropped quietly.

python-socketio raises on a packet it cannot decode (invalid JSON, nesting deeper than the decoder
allows, an id or number too long to parse) or cannot dispatch (an event that is not a list starting
with its name), and Engine.IO logs each such error with a traceback. Only a broken or hostile client
sends these, so, as the reference JavaScript server does, the client is disconnected: the packet
becomes a DISCONNECT of its namespace and the log gets one line, with nothing of the packet in it.
"""

from __future__ import annotations

import logging
from typing import Any

from socketio import packet

log = logging.getLogger(__name__)


class GuardedPacket(packet.Packet):
    namespace: object  # set by packet.Packet (untyped): a malformed packet may carry anything

    def __init__(self, *args: Any, encoded_packet: Any = None, **kwargs: Any) -> None:
        self._malformed = False
        super().__init__(*args, encoded_packet=encoded_packet, **kwargs)
        # an empty packet is never decoded: it would pass as an EVENT without data
        if encoded_packet is not None and (self._malformed or not encoded_packet or not self._well_formed()):
            log.warning("dropped a malformed Socket.IO packet; disconnecting the client")
            namespace = self.namespace if isinstance(self.namespace, str) else "/"
            self.packet_type, self.namespace, self.data, self.id = packet.DISCONNECT, namespace, None, None
            self.attachment_count = 0

    def decode(self, encoded_packet: Any) -> int:
        try:
            return int(super().decode(encoded_packet) or 0)
        except (ValueError, TypeError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            self._malformed = True
            return 0

    def _well_formed(self) -> bool:
        """What the server can dispatch. The protocol has no binary payloads, and a client never sends
        CONNECT_ERROR."""
        kind, data = self.packet_type, self.data
        if kind == packet.CONNECT:
            return data is None or isinstance(data, dict)
        if kind == packet.DISCONNECT:
            return True
        if kind == packet.EVENT:
            return isinstance(data, list) and bool(data) and isinstance(data[0], str)
        if kind == packet.ACK:
            return isinstance(data, list)
        return False


class MalformedPayloads(logging.Filter):
    """Engine.IO logs a long-polling POST body it cannot decode (invalid UTF-8, an unknown packet type,
    too many packets) with a traceback, then drops it and answers "ok". Make that one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if record.getMessage() == "post request handler error" and isinstance(error, ValueError):
            record.msg, record.args, record.exc_info, record.exc_text = (
                "dropped a malformed Engine.IO payload",
                (),
                None,
                None,
            )
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
