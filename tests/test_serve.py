"""The server that `make run` and `make serve` start (assistant/serve.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from flask import Flask

from assistant import async_mode
from assistant.extensions import socketio
from tests.e2e.conftest import ROOT


def recipe(target: str) -> str:
    """The commands of one Makefile target."""
    found = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found, target
    return found.group(1)


def test_make_run_and_make_serve_start_the_production_server() -> None:
    assert "-m assistant.serve" in recipe("run")
    serve = recipe("serve")
    assert "-m assistant.serve" in serve
    assert "PROCESSES=" in serve
    assert "SOCKETIO_MESSAGE_QUEUE=" in serve


def test_the_server_process_runs_socketio_on_gevent() -> None:
    # in a process of its own: importing the server monkey-patches the standard library
    script = (
        "import assistant.serve\n"
        "from assistant import create_app\n"
        "from assistant.extensions import socketio\n"
        "create_app(env='test')\n"
        "print(socketio.server.eio.async_mode)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "ASSISTANT_"))}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "gevent"


def test_tests_and_commands_stay_on_threads(app: Flask) -> None:
    # nothing here is monkey-patched: a gevent hub would be blocked by every unpatched call
    assert async_mode() == "threading"
    assert socketio.server.eio.async_mode == "threading"


def test_several_processes_need_the_message_queue() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOCKETIO_MESSAGE_QUEUE"}
    env.update(PROCESSES="2", PORT="1")  # refused before anything listens
    done = subprocess.run(
        [sys.executable, "-m", "assistant.serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0
    assert "SOCKETIO_MESSAGE_QUEUE" in done.stderr
