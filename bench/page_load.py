"""First load of the chat page: bytes on the wire and time to the first question under Slow 3G.

    .venv/bin/python bench/page_load.py

Starts a real server on loopback, loads `/` in the system Chromium at a phone viewport with
DevTools network emulation ("Slow 3G": 2,000 ms latency, 50,000 bytes/s each way, the preset of
Chromium's DevTools), and reports each resource's size as served and gzip-compressed (-9), and the
time until the first question is on screen. Bounded: one load per condition.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.conftest import Server, flask_cli, server_env

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CONDITIONS = {
    "unthrottled": None,
    "Slow 3G": {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = server_env(f"sqlite:///{folder}/bench.db")
        flask_cli(env, "db", "upgrade")
        server = Server(env)
        try:
            run(server.url)
        finally:
            server.stop()


def run(url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, conditions in CONDITIONS.items():
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
            page = context.new_page()
            resources: list[str] = []
            page.on("requestfinished", lambda request, seen=resources: seen.append(request.url))
            if conditions:
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", conditions)
            started = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_selector("#turn h2, #turn label", timeout=120_000)
            elapsed = time.perf_counter() - started
            print(f"{name}: first question on screen after {elapsed:.2f} s")
            if name == "unthrottled":
                report_sizes([r for r in resources if "/socket.io/" not in r])
            context.close()
        browser.close()


def report_sizes(urls: list[str]) -> None:
    total_raw = total_gzip = 0
    print("| resource | bytes | gzip -9 |")
    print("|---|---|---|")
    for url in sorted(set(urls)):
        body = urllib.request.urlopen(url).read()
        packed = len(gzip.compress(body, 9))
        total_raw, total_gzip = total_raw + len(body), total_gzip + packed
        print(f"| {url.split('/', 3)[-1] or '/'} | {len(body):,} | {packed:,} |")
    print(f"| total | {total_raw:,} | {total_gzip:,} |")


if __name__ == "__main__":
    main()
