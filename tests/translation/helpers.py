"""Translators for the tests: accounts with languages, signed in. All synthetic."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from assistant.extensions import db
from assistant.storage.models import User
from tests.conftest import Staff, csrf


def translator(app: Flask, staff: Staff, *languages: str) -> FlaskClient:
    client = staff.client("translator")
    with app.app_context():
        user = db.session.get(User, client.user.id)  # type: ignore[attr-defined]
        assert user is not None
        user.languages = list(languages)
        db.session.commit()
    return client


def string_form(page: str, msgid_fragment: str) -> dict[str, str]:
    """The key and proposal id of the string whose English contains ``msgid_fragment``."""
    for section in re.findall(r'<section class="tr-string".*?</section>', page, re.S):
        if msgid_fragment in section:
            key = re.search(r'name="key" value="([0-9a-f]+)"', section)
            proposal = re.search(r'name="proposal" value="(\d+)"', section)
            assert key
            found = {"key": key.group(1)}
            if proposal:
                found["proposal"] = proposal.group(1)
            return found
    raise AssertionError(f"no string containing {msgid_fragment!r} on the page")


def post(client: FlaskClient, url: str, data: dict[str, Any], page: str) -> Any:
    return client.post(url, data={"csrf_token": csrf(page), **data})
