"""A production install, without the development extras, starts and serves.

The service runs from its folder (flows, migrations and catalogues live beside the package, as the
README's "At scale" says), in a fresh virtualenv holding only what `pip install .` brings under the
lock file's constraints: so a development-only import in the start-up path fails here.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import free_port

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[2]
NOT_SHIPPED = (".git", ".venv", "node_modules", "instance", "tests", "bench", "docs", "build", "*.egg-info")


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def get(url: str) -> tuple[int, str]:
    # Behind the load balancer the app sees HTTPS in X-Forwarded-Proto; otherwise it redirects to it.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # the first loads the app
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_package_without_extras_migrates_and_serves(tmp_path: Path) -> None:
    folder = tmp_path / "service"
    shutil.copytree(ROOT, folder, ignore=shutil.ignore_patterns(*NOT_SHIPPED, "__pycache__", ".*_cache"))
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    run([str(venv / "bin" / "pip"), "install", "--quiet", "-c", "requirements.lock", "."], folder)
    missing = subprocess.run([str(venv / "bin" / "python"), "-c", "import polib, pytest"], capture_output=True)
    assert missing.returncode != 0, "the development extras were installed: this test would prove nothing"

    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "ASSISTANT_", "PYTHON"))}
    env.update(
        ASSISTANT_ENV="production",
        SECRET_KEY="install-test-secret-key-synthetic",
        DATA_ENCRYPTION_KEYS="install:" + "aW5zdGFsbC10ZXN0LWtleS0zMi1ieXRlcy1sb25nLTA=",
        DATABASE_URL=f"sqlite:///{tmp_path / 'service.db'}",
    )
    run([str(venv / "bin" / "flask"), "--app", "wsgi", "db", "upgrade"], folder, env)

    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    gunicorn = [str(venv / "bin" / "gunicorn"), "-w", "1", "--threads", "4", "--no-control-socket"]
    server = subprocess.Popen(
        [*gunicorn, "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = get(f"http://127.0.0.1:{port}/sign-in")
                break
            except OSError:  # not listening yet
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        server.wait(timeout=30)
        log.close()
    assert status == 200
    assert 'name="csrf_token"' in page
