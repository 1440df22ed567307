"""Bytes over the wire for a whole adult referral in the chat, first load included.

    .venv/bin/python bench/referral_bytes.py [--runs 2]

Starts a real server on loopback with a first responder's account, signs in (not counted), then, in a
fresh browser context (empty cache) at a phone viewport, loads `/` and answers every question of an
adult's NRM referral with consent and support (tests/scenarios.py's synthetic answers, typed into the
page's own widgets by the browser tests' Chat helper: type-aheads typed four letters at a time), to the
review, then submits. Counted, as the browser saw them:

- first load: every HTTP request and response of the visit, headers and (compressed) bodies: the page,
  its scripts, the favicon, the cards' module, and any long-polling;
- sent / received: every WebSocket message's payload as the page saw it (after permessage-deflate, when
  the two ends agreed on it, had inflated it) plus a frame header (2 to 14 bytes; a client's frames carry
  a 4-byte mask). The WebSocket's own upgrade request (a few hundred bytes) is not counted here;
- on the wire: every byte that crossed the TCP connections between the browser and the server, both
  ways, counted by a relay on loopback that the browser goes through: HTTP with its headers, the
  WebSocket's upgrade and its frames as sent (compressed when permessage-deflate is on).

Bounded: a few referrals, each with a time-out. Prints one row per run and the median.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.page_load import CHROMIUM_ARGS, PHONE, signed_in
from tests.browser.test_chat import Chat
from tests.e2e.conftest import Server, create_account, flask_cli, server_env
from tests.scenarios import ROUTES

ROUTE = "adult-consent-with-support"


class CountingRelay:
    """A TCP relay on loopback in front of the server that counts the bytes it passes, each way."""

    def __init__(self, port: int) -> None:
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.up = self.down = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.up = self.down = 0

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, "down"), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, way: str) -> None:
        try:
            while data := source.recv(65536):
                with self.lock:
                    setattr(self, way, getattr(self, way) + len(data))
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


def frame_bytes(payload: str | bytes, masked: bool) -> int:
    size = len(payload.encode() if isinstance(payload, str) else payload)
    header = 2 if size < 126 else 4 if size < 65536 else 10
    return size + header + (4 if masked else 0)


def referral(browser: Any, session: dict[str, Any], relay: CountingRelay) -> dict[str, int]:
    url = relay.url
    relay.reset()
    context = browser.new_context(**PHONE, storage_state=session)
    context.set_default_timeout(60_000)
    counts = {"http": 0, "sent": 0, "received": 0, "answers": 0, "frames": 0}

    def finished(request: Any) -> None:
        sizes = request.sizes()
        counts["http"] += sum(
            sizes[k] for k in ("requestHeadersSize", "requestBodySize", "responseHeadersSize", "responseBodySize")
        )

    def websocket(ws: Any) -> None:
        def sent(payload: Any) -> None:
            counts["sent"] += frame_bytes(payload, masked=True)
            counts["frames"] += 1

        def received(payload: Any) -> None:
            counts["received"] += frame_bytes(payload, masked=False)
            counts["frames"] += 1

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    try:
        page = context.new_page()
        page.on("requestfinished", finished)
        page.on("websocket", websocket)
        page.goto(url + "/")
        chat = Chat(page, ROUTES[ROUTE])
        chat.answer_until("review")
        page.locator("#turn .review").get_by_role("button", name="Submit referral").click()
        page.locator("#turn .panel-title").wait_for(state="visible")
        counts["answers"] = len(chat.asked)
        page.wait_for_timeout(500)  # the last frames and requests are counted
        counts["wire_up"], counts["wire_down"] = relay.up, relay.down
        return counts
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="referrals (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = server_env(f"sqlite:///{folder}/bench.db")
        flask_cli(env, "db", "upgrade")
        email = create_account(env)
        server = Server(env)
        relay = CountingRelay(server.port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                session = signed_in(browser, server.url, email)
                rows = [referral(browser, session, relay) for _ in range(max(1, min(args.runs, 5)))]
                browser.close()
        finally:
            relay.close()
            server.stop()
    print(f"\nA whole adult referral ({ROUTE}), bytes over the wire")
    print(
        "| run | answers | first load (HTTP) | sent (WebSocket payloads) | received (WebSocket payloads) | frames "
        "| total as the page saw it | on the wire: up | on the wire: down | on the wire: total |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, row in enumerate(rows, 1):
        total = row["http"] + row["sent"] + row["received"]
        wire = row["wire_up"] + row["wire_down"]
        print(
            f"| {n} | {row['answers']} | {row['http']:,} | {row['sent']:,} | {row['received']:,} "
            f"| {row['frames']:,} | {total:,} | {row['wire_up']:,} | {row['wire_down']:,} | {wire:,} |"
        )
    totals = [r["http"] + r["sent"] + r["received"] for r in rows]
    wires = [r["wire_up"] + r["wire_down"] for r in rows]
    print(f"median total as the page saw it: {statistics.median(totals):,.0f} bytes")
    print(f"median total on the wire: {statistics.median(wires):,.0f} bytes")


if __name__ == "__main__":
    main()
