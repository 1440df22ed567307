"""Bytes over the wire for a whole adult referral in the chat, first load included.

    .venv/bin/python bench/referral_bytes.py [--runs 2]

Starts a real server on loopback with a first responder's account, signs in (not counted), then, in a
fresh browser context (empty cache) at a phone viewport, loads `/` and answers every question of an
adult's NRM referral with consent and support (tests/scenarios.py's synthetic answers, typed into the
page's own widgets by the browser tests' Chat helper: type-aheads typed four letters at a time), to the
review, then submits. Counted, as the browser saw them:

- first load: every HTTP request and response of the visit, headers and (compressed) bodies: the page,
  its scripts, the favicon, the cards' module, and any long-polling;
- sent / received: every WebSocket frame's payload plus its frame header (2 to 14 bytes; a client's
  frames carry a 4-byte mask). The WebSocket's own upgrade request (a few hundred bytes) is not counted.

Bounded: a few referrals, each with a time-out. Prints one row per run and the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.page_load import CHROMIUM_ARGS, PHONE, signed_in
from tests.browser.test_chat import Chat
from tests.e2e.conftest import Server, create_account, flask_cli, server_env
from tests.scenarios import ROUTES

ROUTE = "adult-consent-with-support"


def frame_bytes(payload: str | bytes, masked: bool) -> int:
    size = len(payload.encode() if isinstance(payload, str) else payload)
    header = 2 if size < 126 else 4 if size < 65536 else 10
    return size + header + (4 if masked else 0)


def referral(browser: Any, session: dict[str, Any], url: str) -> dict[str, int]:
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
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                session = signed_in(browser, server.url, email)
                rows = [referral(browser, session, server.url) for _ in range(max(1, min(args.runs, 5)))]
                browser.close()
        finally:
            server.stop()
    print(f"\nA whole adult referral ({ROUTE}), bytes over the wire")
    print("| run | answers | first load (HTTP) | sent (WebSocket) | received (WebSocket) | frames | total |")
    print("|---|---|---|---|---|---|---|")
    for n, row in enumerate(rows, 1):
        total = row["http"] + row["sent"] + row["received"]
        print(
            f"| {n} | {row['answers']} | {row['http']:,} | {row['sent']:,} | {row['received']:,} "
            f"| {row['frames']:,} | {total:,} |"
        )
    totals = [r["http"] + r["sent"] + r["received"] for r in rows]
    print(f"median total: {statistics.median(totals):,.0f} bytes")


if __name__ == "__main__":
    main()
