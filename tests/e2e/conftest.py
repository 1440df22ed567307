"""Real servers on loopback, on SQLite or a throw-away PostgreSQL database."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.databases import throwaway_database

ROOT = Path(__file__).resolve().parents[2]
# Each parallel test worker (pytest-xdist's gw0, gw1, ...) has its own Redis database, so one worker's
# rate limits and message queue never reach another's servers.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{1 + _WORKER}")
PASSWORD = "correct horse battery staple"  # synthetic
# Sessions are bound to the client's address and user agent: the sign-in and the socket share this one.
USER_AGENT = "nrm-e2e-client"


def free_port(count: int = 1) -> int:
    """A free port on loopback and, for a server of ``count`` processes, the ports after it free too:
    after a run of many connections, the port after a free one is often a client's, still in use."""
    for _ in range(100):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if all(_free(port + offset) for offset in range(1, count)):
            return port
    raise RuntimeError(f"no {count} consecutive free ports")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except (OSError, OverflowError):
            return False
    return True


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "ASSISTANT_"))}
    env.update(
        ASSISTANT_ENV="development",
        DATABASE_URL=database_url,
        SECRET_KEY="e2e-secret-key-synthetic",
        DATA_ENCRYPTION_KEYS="e2e:" + "ZTJlLWtleS0zMi1ieXRlcy1sb25nLTAxMjM0NTY3ODk=",
    )
    env.update(extra)
    return env


def flask_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


# Several `flask` commands through Flask's own CLI runner, in one process: each `flask` process spends
# about two seconds of CPU starting, and the browser and end-to-end fixtures run several per server.
_COMMANDS = """
import json, sys
from wsgi import app
runner = app.test_cli_runner()
for args in json.loads(sys.argv[1]):
    result = runner.invoke(args=args)
    if result.exit_code != 0:
        sys.exit(f"flask {' '.join(args)}: exit {result.exit_code}\\n{result.output}\\n{result.exception!r}")
"""


def flask_commands(env: dict[str, str], *commands: list[str]) -> None:
    """Run ``commands`` (each a `flask` command's arguments) one after another, as from a shell."""
    done = subprocess.run(
        [sys.executable, "-c", _COMMANDS, json.dumps(commands)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask commands failed:\n{done.stderr[-4000:]}")


def wait_until_up(url: str, process: subprocess.Popen[Any] | None = None, seconds: float = 120) -> None:
    """Wait for the server at ``url`` to answer /healthz (generous: a busy machine starts it slowly);
    fail at once if ``process``, the server, has stopped."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{url} stopped before it started") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start") from None
            time.sleep(0.2)


class Server:
    """``python -m assistant.serve`` on a free port; its output goes to a file (a full pipe would block it)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port(int(env.get("PROCESSES", "1")))  # one port per process, from PORT on
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="server-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.serve"],
            cwd=ROOT,
            env={**env, "PORT": str(self.port)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_until_up(self.url, self.process)
        except RuntimeError:
            if self.process.poll() is not None:
                raise RuntimeError(self.output()) from None
            self.process.kill()  # not left running after the test
            raise

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=10)
        output = self.output()
        self.log.close()
        return output


def create_account(env: dict[str, str], role: str = "first-responder", organisation: str = "salvation-army") -> str:
    """A new account made with `flask users create`, as an administrator would; returns its email."""
    email = new_email(role)
    flask_cli(env, *users_create_args(email, role, organisation))
    return email


def new_email(role: str = "first-responder") -> str:
    return f"{role}-{uuid.uuid4().hex[:8]}@example.org"


def users_create_args(email: str, role: str = "first-responder", organisation: str = "salvation-army") -> list[str]:
    """The arguments of `flask users create` for a synthetic account."""
    return [
        "users",
        "create",
        "--email",
        email,
        "--name",
        "Synthetic Worker",
        "--role",
        role,
        "--organisation",
        organisation,
        "--password",
        PASSWORD,
    ]


def sign_in(url: str, email: str) -> requests.Session:
    """Sign in through the real page, as a browser would: the session's cookie then opens sockets."""
    web = requests.Session()
    web.headers["User-Agent"] = USER_AGENT
    page = web.get(f"{url}/sign-in", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    done = web.post(
        f"{url}/sign-in",
        data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302, done.text
    return web


def socket_headers(web: requests.Session) -> dict[str, str]:
    cookie = "; ".join(f"{name}={value}" for name, value in web.cookies.items())
    return {"Cookie": cookie, "User-Agent": USER_AGENT}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def migrated(database_url: str) -> dict[str, str]:
    env = server_env(database_url)
    flask_commands(env, ["db", "upgrade"], ["db", "check"])  # the migrations build exactly the models' schema
    return env


@pytest.fixture
def server(migrated: dict[str, str]) -> Iterator[Server]:
    running = Server(migrated)
    yield running
    running.stop()
