"""WebSocket compression: a browser's offer of permessage-deflate is taken without context takeover, so an
open connection keeps no zlib state between messages (assistant/websocket_compression.py)."""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, flask_cli, server_env

pytestmark = pytest.mark.e2e
OFFER = "permessage-deflate; client_max_window_bits"  # what Chromium offers


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Server]:
    env = server_env(f"sqlite:///{tmp_path / 'compression.db'}")
    flask_cli(env, "db", "upgrade")
    running = Server(env)
    yield running
    running.stop()


def handshake(port: int, extensions: str | None) -> tuple[dict[str, str], socket.socket, bytes]:
    """A WebSocket opened by hand: the response's headers, the socket, and what came after them."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *([f"Sec-WebSocket-Extensions: {extensions}"] if extensions else []),
    ]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(4096)
        assert chunk, received
        received += chunk
    head, rest = received.split(b"\r\n\r\n", 1)
    status, *fields = head.decode().split("\r\n")
    assert " 101 " in status, status
    return {k.strip().lower(): v.strip() for k, v in (f.split(":", 1) for f in fields)}, sock, rest


def first_frame(sock: socket.socket, received: bytes) -> tuple[int, bytes]:
    while len(received) < 2 or len(received) < 2 + (received[1] & 0x7F):
        received += sock.recv(4096)
    return received[0], received[2 : 2 + (received[1] & 0x7F)]


def test_deflate_is_accepted_without_context_takeover_either_way(sqlite_server: Server) -> None:
    headers, sock, rest = handshake(sqlite_server.port, OFFER)
    with sock:
        agreed = [part.strip() for part in headers["sec-websocket-extensions"].split(";")]
        assert agreed[0] == "permessage-deflate"
        assert "server_no_context_takeover" in agreed
        assert "client_no_context_takeover" in agreed
        opcode, payload = first_frame(sock, rest)  # Engine.IO's open packet, compressed on its own
        assert opcode & 0x40  # RSV1: compressed
        opened = zlib.decompressobj(-15).decompress(payload + b"\x00\x00\xff\xff")
        assert opened.startswith(b'0{"sid":')


def test_a_client_that_offers_nothing_gets_plain_frames(sqlite_server: Server) -> None:
    headers, sock, rest = handshake(sqlite_server.port, None)
    with sock:
        assert "sec-websocket-extensions" not in headers
        opcode, payload = first_frame(sock, rest)
        assert not opcode & 0x40
        assert payload.startswith(b'0{"sid":')


def test_a_message_over_the_event_limit_closes_the_websocket_as_it_arrives(sqlite_server: Server) -> None:
    """Before signing in, a message larger than the event limit (256 KiB) is refused with close code 1009
    ("message too big"), not held whole in the server's memory (assistant/websocket_limits.py)."""
    _headers, sock, received = handshake(sqlite_server.port, None)
    with sock:
        payload = b"4" + b"x" * (256 * 1024 + 1)  # an Engine.IO message packet, one byte over
        mask = os.urandom(4)
        frame = bytes([0x81, 0x80 | 127]) + len(payload).to_bytes(8, "big") + mask
        frame += bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with contextlib.suppress(OSError):  # the server may close before it has all of it
            sock.sendall(frame)
        sock.settimeout(10)
        while True:  # skip the open packet; the close frame (opcode 8) carries the code
            while len(received) < 2:
                chunk = sock.recv(4096)
                assert chunk, "closed without a close frame"
                received += chunk
            length = received[1] & 0x7F
            start = 2 if length < 126 else 4
            size = length if length < 126 else int.from_bytes(received[2:4], "big")
            while len(received) < start + size:
                received += sock.recv(4096)
            opcode, body, received = received[0] & 0x0F, received[start : start + size], received[start + size :]
            if opcode == 8:
                assert int.from_bytes(body[:2], "big") == 1009
                return
