"""The system Chromium driven by Playwright against a real server on loopback.

One server (on its own SQLite file) serves the whole module; every test opens a fresh browser
context with a phone viewport, signs in through the sign-in page and starts its own conversation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PASSWORD, Server, flask_commands, new_email, server_env, users_create_args

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def need(condition: bool, message: str) -> None:
    """In CI a missing dependency is a failure; elsewhere the test is skipped with the reason."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class LiveServer:
    server: Server
    env: dict[str, str]
    database: Path
    accounts: list[str]  # first responders' accounts, used in turn
    used: int = 0

    @property
    def email(self) -> str:
        self.used += 1
        return self.accounts[self.used % len(self.accounts)]

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    need(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright is not installed (pip install -e '.[dev]')")
        raise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("browser-db") / "assistant.db"
    env = server_env(f"sqlite:///{database}")
    accounts = [new_email() for _ in range(4)]
    flask_commands(env, ["db", "upgrade"], *(users_create_args(email) for email in accounts))
    running = Server(env)
    yield LiveServer(running, env, database, accounts)
    (database.parent / "server.log").write_text(running.stop())  # kept in pytest's temporary folder


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(**PHONE, locale="en-GB", timezone_id="Europe/London")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def sign_in(page: Any, live: LiveServer, email: str | None = None, then: str | None = None) -> None:
    """Sign in through the page, as staff do; the browser keeps the session cookie. Without ``then``
    the page lands where the role starts."""
    page.goto(f"{live.url}/sign-in" + (f"?next={then}" if then else ""))
    page.get_by_label("Work email address").fill(email or live.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def socket_headers(page: Any) -> dict[str, str]:
    """What another client needs to open a socket in this page's session (cookie, and user agent:
    a session is bound to it)."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    return {"Cookie": cookies, "User-Agent": page.evaluate("navigator.userAgent")}


@pytest.fixture
def page(context: Any, live: LiveServer) -> Any:
    signed_in = context.new_page()
    sign_in(signed_in, live, then="/account")  # not the chat: each test opens it when it is ready
    return signed_in
