"""Raw Engine.IO long-polling against a real server: the answers carry the security headers, and
malformed Socket.IO packets are dropped without a traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.e2e.conftest import Server, create_account, sign_in

pytestmark = pytest.mark.e2e
SEPARATOR = "\x1e"  # between the packets of one long-polling payload (Engine.IO v4)


class Polling:
    """An Engine.IO v4 long-polling session, packet by packet, as a browser without WebSocket speaks it."""

    def __init__(self, url: str, web: requests.Session) -> None:
        self.web = web
        self.url = f"{url}/socket.io/?EIO=4&transport=polling"
        self.responses: list[requests.Response] = []
        opened = self._keep(web.get(self.url, timeout=10))
        assert opened.text.startswith("0"), opened.text
        self.url += f"&sid={json.loads(opened.text[1:])['sid']}"

    def _keep(self, response: requests.Response) -> requests.Response:
        self.responses.append(response)
        return response

    def send(self, *packets: str) -> requests.Response:
        body = SEPARATOR.join(packets).encode("utf-8", "surrogatepass")  # a lone surrogate as invalid UTF-8
        return self._keep(self.web.post(self.url, data=body, headers={"Content-Type": "text/plain"}, timeout=10))

    def receive(self) -> list[str]:
        response = self._keep(self.web.get(self.url, timeout=30))
        return response.text.split(SEPARATOR) if response.status_code == 200 else []

    def connect(self) -> None:
        self.send("40")
        [connected] = self.receive()
        assert connected.startswith("40{"), connected

    def call(self, ack_id: int, event: str, *args: Any) -> Any:
        self.send(f"42{ack_id}" + json.dumps([event, *args]))
        for packet in self.receive():
            if packet.startswith(f"43{ack_id}["):
                return json.loads(packet[len(f"43{ack_id}") :])
        raise AssertionError("no acknowledgement")


@pytest.fixture
def polling(server: Server, migrated: dict[str, str]) -> Polling:  # on SQLite and PostgreSQL
    session = Polling(server.url, sign_in(server.url, create_account(migrated)))
    session.connect()
    return session


def test_long_polling_answers_carry_the_security_headers(polling: Polling) -> None:
    [ack] = polling.call(1, "languages", {})
    assert ack["ok"] is True
    assert len(polling.responses) >= 4  # the handshake, posts, and the answer with the acknowledgement
    for response in polling.responses:
        headers = response.headers
        assert headers["Cache-Control"] == "no-store", response.request.method
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"


MALFORMED = [
    "42{not json",  # invalid JSON
    "42" + "[" * 100_000 + "]" * 100_000,  # nesting deeper than the JSON decoder's recursion
    '42["languages", ' + "9" * 10_000 + "]",  # an integer longer than Python will parse
    "42" + "9" * 10_000 + '["languages", {}]',  # an acknowledgement id longer than that
    '42["languages", 1e999999]',  # a number too big for a float
    "42" + "[" * 100_000,  # unterminated nesting
    "4-1",
    "47",
    "4",
    "42[]",
    "42[{}]",
    "42[1]",
    '42"start"',
    '421{"a": 1}',
    "43" + "9" * 10_000 + "[]",
    "44{}",  # CONNECT_ERROR comes from servers only
    '451-["languages",{"_placeholder":true,"num":0}]',  # binary attachments: the protocol has none
    "4\ud800",  # not UTF-8 at all
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # packets never reach the database
def test_malformed_packets_are_dropped_without_a_traceback(server: Server, migrated: dict[str, str]) -> None:
    web = sign_in(server.url, create_account(migrated))
    for number, packet in enumerate(MALFORMED):
        session = Polling(server.url, web)
        session.connect()
        session.send(packet)
        fresh = Polling(server.url, web)  # the server still answers, whatever became of that connection
        fresh.connect()
        [ack] = fresh.call(number, "languages", {})
        assert ack["ok"] is True
        assert "Traceback" not in server.output(), packet[:40]
