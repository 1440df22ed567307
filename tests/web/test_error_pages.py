"""Staff pages that fail: a page in the user's language that says what to do, never a bare server error
or a trace, and the API's own JSON left alone."""

from __future__ import annotations

import pytest
from flask import Flask

from assistant.casework import caseworkers
from tests.conftest import Staff


@pytest.fixture
def failing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The intake queue's service fails, as a database gone away would make it."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production, not as in testing

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(caseworkers, "queue_for", broken)


@pytest.mark.usefixtures("failing")
@pytest.mark.parametrize(("lang", "heading"), [("en", "Sorry, there is a problem with the service"), ("cy", None)])
def test_a_failing_staff_page_says_so_in_the_users_language(staff: Staff, lang: str, heading: str | None) -> None:
    response = staff.client("caseworker").get(f"/casework/?lang={lang}")
    assert response.status_code == 500
    assert '<h1 class="page-title">' in response.text
    assert "synthetic failure" not in response.text
    assert "Traceback" not in response.text
    if heading:
        assert heading in response.text
    assert f'lang="{lang}"' in response.text
