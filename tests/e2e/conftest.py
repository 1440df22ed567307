"""Real servers on loopback, on SQLite or a throw-away PostgreSQL database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import throwaway_database

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)


class Server:
    """``python -m assistant.serve`` on a free port; its output goes to a file (a full pipe would block it)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="server-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.serve"], cwd=ROOT, env={**env, "PORT": str(self.port)},
            stdout=self.log, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.output()) from None
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=10)
        output = self.output()
        self.log.close()
        return output


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def migrated(database_url: str) -> dict[str, str]:
    env = server_env(database_url)
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "db", "check")  # the migrations build exactly the models' schema
    return env


@pytest.fixture
def server(migrated: dict[str, str]) -> Iterator[Server]:
    running = Server(migrated)
    yield running
    running.stop()
