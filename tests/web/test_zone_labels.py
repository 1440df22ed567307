"""The UK's zone names after a time are words to translate, like the rest of the page."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from assistant.web import labels


def test_the_zone_after_a_time_comes_from_the_catalogue(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    assert all(isinstance(name, LazyString) for name in labels.ZONES.values())
    monkeypatch.setitem(labels.ZONES, "BST", "amser haf")  # as a catalogue would give it
    with app.test_request_context("/?lang=cy"), force_locale("cy"):
        shown = labels.format_datetime(dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert shown.endswith(" amser haf")
