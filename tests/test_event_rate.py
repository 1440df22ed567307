"""A connection's events are limited in a moving minute (assistant/event_rate.py)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.event_rate import EventRate
from assistant.extensions import socketio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_holds_in_any_minute_and_frees_as_events_age() -> None:
    clock = Clock()
    rate = EventRate(3, clock)
    for _ in range(3):
        assert rate.allow("a")
        clock.now += 10
    assert not rate.allow("a")  # a fourth within the minute
    assert rate.allow("b")  # another connection counts on its own
    clock.now += 29.9
    assert not rate.allow("a")  # refused events do not count, but the first three are still in the minute
    clock.now += 0.1
    assert rate.allow("a")  # the oldest is a minute old
    assert not rate.allow("a")  # the second is not


def test_a_forgotten_connection_starts_afresh() -> None:
    rate = EventRate(1, Clock())
    assert rate.allow("a")
    assert not rate.allow("a")
    rate.forget("a")
    assert rate.allow("a")


def test_a_connection_over_the_limit_is_told_so_in_its_language(chat: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socketio.server.namespace_handlers["/"], "_rate", EventRate(2))
    assert chat.start("cy")["ok"]
    assert chat.answer("reference", "CASE-001")["ok"]
    refused = chat.answer("reference", "CASE-002")
    assert refused["error"]["code"] == "rate_limited"
    assert refused["error"]["message"] != "Too many messages. Wait a moment and try again."  # Welsh
