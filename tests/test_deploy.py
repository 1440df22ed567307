"""The scheduled job of deploy/: the systemd timer starts the service, just after each day begins in
the UK, and the service runs a command the app has (`flask stats keep`)."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.optionxform = str  # type: ignore[assignment,method-assign] # systemd's keys are case-sensitive
    parsed.read(DEPLOY / name, encoding="utf-8")
    return parsed


def test_the_service_keeps_the_ended_quarters_with_the_apps_own_command(app: Flask) -> None:
    service = unit("nrm-stats-keep.service")["Service"]
    assert service["Type"] == "oneshot"
    program, *args = shlex.split(service["ExecStart"])
    assert program.endswith("/.venv/bin/flask")
    assert args == ["--app", "wsgi", "stats", "keep"]
    result = app.test_cli_runner().invoke(args=args[2:])
    assert result.exit_code == 0, result.output


def test_the_timer_starts_it_every_day_after_midnight_uk_time() -> None:
    timer = unit("nrm-stats-keep.timer")
    calendar = timer["Timer"]["OnCalendar"]
    assert calendar.endswith("Europe/London")  # quarters end at midnight UK time
    assert timer["Timer"]["Persistent"] == "true"  # a run missed while the machine was off is made up
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert "Unit" not in timer["Timer"]  # so it starts the service of the same name
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed: the calendar expression is not checked")
    checked = subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
