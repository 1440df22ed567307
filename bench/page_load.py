"""First load of the chat page: bytes on the wire, and time to the first question and the first answer.

    .venv/bin/python bench/page_load.py [--runs 3]

Starts a real server on loopback with a first responder's account, signs in through the sign-in page
in the system Chromium (unthrottled: the chat needs a signed-in first responder), then loads `/` in
fresh browser contexts (empty cache, the same session cookie) at a phone viewport, unthrottled and with
DevTools network emulation ("Slow 3G": 2,000 ms latency, 50,000 bytes/s each way, the preset of
Chromium's DevTools). As soon as the first question's text box is on screen it types an answer and
presses Enter, as a user would.

Reports, per condition, the median (and range) over the runs of the times since the navigation started
(the page's own clock, sampled every frame): first contentful paint, the first question on screen, the
scripts run, connected, and the answer acknowledged (the next question on screen; the page's request opened
the referral, so no `start` comes before it);
and each resource's size as served raw, gzip -9 (what a compressing proxy sends), and as this server sent
it. Bounded: a few loads, each with a time-out.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import sign_in
from tests.e2e.conftest import Server, create_account, flask_cli, server_env

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "en-GB"}
CONDITIONS = {
    "unthrottled": None,
    "Slow 3G": {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
}
# Sampled every animation frame from the navigation's start (performance.now()): when each thing is first true.
MARKS = """(() => {
  const marks = (window.__marks = {});
  const at = (k, t) => { if (!(k in marks)) marks[k] = Math.round(t ?? performance.now()); };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") at("paint", e.startTime);
  }).observe({ type: "paint", buffered: true });
  const look = () => {
    const form = document.querySelector("#turn > form.question");
    if (form && form.checkVisibility()) at(form.dataset.question === "reference" ? "question" : "answered");
    if (document.documentElement.dataset.chat === "ready") at("scripts");
    const status = document.getElementById("status");
    if (status && status.dataset.state === "connected") at("connected");
    if (!("answered" in marks)) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})()"""
STEPS = [
    ("html", "HTML received (responseEnd)"),
    ("paint", "first contentful paint"),
    ("question", "first question on screen, typeable"),
    ("pressed", "answer typed, Enter pressed"),
    ("scripts", "scripts run (question taken over)"),
    ("connected", "Socket.IO connected"),
    ("answered", "answer acknowledged (next question on screen)"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="loads per condition (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = server_env(f"sqlite:///{folder}/bench.db")
        flask_cli(env, "db", "upgrade")
        email = create_account(env)
        server = Server(env)
        try:
            run(server.url, email, max(1, min(args.runs, 10)))
        finally:
            server.stop()


def run(url: str, email: str, runs: int) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        session = signed_in(browser, url, email)
        for name, conditions in CONDITIONS.items():
            loads = [load(browser, session, url, conditions) for _ in range(runs)]
            print(f"\n{name} ({runs} loads), ms since the navigation started: median (min to max)")
            print("| step | time |")
            print("|---|---|")
            for key, label in STEPS:
                values = [m[key] for m, _ in loads if key in m]
                if values:
                    print(f"| {label} | {statistics.median(values):,.0f} ({min(values):,} to {max(values):,}) |")
            if name == "unthrottled":
                report_sizes(browser, session, loads[0][1])
        browser.close()


def signed_in(browser: Browser, url: str, email: str) -> dict[str, Any]:
    """Sign in once, unthrottled, through the page; the session (cookie) serves every load after it."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, SimpleNamespace(url=url, email=email))  # type: ignore[arg-type]
    page.goto(f"{url}/healthz")  # off the chat page, which signing in lands on, and nothing kept
    page.evaluate("localStorage.clear()")
    state = context.storage_state()
    context.close()
    return dict(state)


def load(
    browser: Browser, session: dict[str, Any], url: str, conditions: dict[str, Any] | None
) -> tuple[dict[str, int], list[Any]]:
    """One cold load of `/` (fresh context: empty cache, nothing kept), answering the first question at once."""
    context = browser.new_context(**PHONE, storage_state=session)  # type: ignore[arg-type]
    context.set_default_timeout(120_000)
    try:
        page = context.new_page()
        page.add_init_script(MARKS)
        requests: list[Any] = []
        page.on("requestfinished", lambda request: requests.append(request))
        if conditions:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", conditions)
        page.goto(url + "/", wait_until="commit")
        answer = page.locator("#answer")
        answer.wait_for(state="visible")
        answer.fill("SYN-BENCH-0001")
        pressed = page.evaluate("Math.round(performance.now())")
        answer.press("Enter")
        page.wait_for_function("() => 'answered' in window.__marks")
        marks = dict(page.evaluate("window.__marks"))
        marks["pressed"] = pressed
        marks["html"] = round(page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd"))
        sent = [(r.url, r.sizes()["responseBodySize"]) for r in requests if "/socket.io/" not in r.url]
        return marks, sent
    finally:
        context.close()


def report_sizes(browser: Browser, session: dict[str, Any], sent: list[tuple[str, int]]) -> None:
    context = browser.new_context(**PHONE, storage_state=session)  # type: ignore[arg-type]
    total_raw = total_gzip = total_sent = 0
    print("\n| resource | bytes | gzip -9 | sent by this server |")
    print("|---|---|---|---|")
    for url, on_wire in sorted(set(sent)):
        body = context.request.get(url, headers={"Accept-Encoding": "identity"}).body()
        packed = len(gzip.compress(body, 9))
        total_raw, total_gzip, total_sent = total_raw + len(body), total_gzip + packed, total_sent + on_wire
        print(f"| {url.split('/', 3)[-1] or '/'} | {len(body):,} | {packed:,} | {on_wire:,} |")
    print(f"| total | {total_raw:,} | {total_gzip:,} | {total_sent:,} |")
    context.close()


if __name__ == "__main__":
    main()
