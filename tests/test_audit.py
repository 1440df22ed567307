"""Searching the audit trail (assistant/audit.py), called with a database session, not through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from assistant import audit
from assistant.extensions import db
from assistant.storage.models import AuditEntry
from tests import factories

DAY = dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC)


def entry(action: str, target: str | None = None, actor: object = None, at: dt.datetime = DAY) -> AuditEntry:
    found = audit.record(action, target, actor=actor, by_staff=False)  # type: ignore[arg-type]
    found.at = at
    return found


def actions(page: audit.Page) -> list[tuple[str, str | None]]:
    return [(row[0].action, row[0].target) for row in page.rows]


@pytest.fixture
def trail(app: Flask) -> tuple[int, str]:
    """Entries by an administrator and by no one; the administrator's id and email."""
    with app.app_context():
        admin = factories.user("admin")
        entry("sign-in-failed")  # no staff actor, and no target
        entry("sign-in", f"user:{admin.id}", admin)
        entry("api-read", "api:case-system", at=DAY + dt.timedelta(days=1))  # an API client: no staff actor
        entry("view", "NRM-ABC123", admin, at=DAY + dt.timedelta(days=2))
        db.session.commit()
        return admin.id, admin.email


def test_every_entry_is_found_newest_first_including_those_with_no_staff_actor(
    app: Flask, trail: tuple[int, str]
) -> None:
    with app.app_context():
        page = audit.search(audit.Filters())
        assert [a for a, _target in actions(page)] == ["view", "api-read", "sign-in", "sign-in-failed"]
        assert [row[1] is None for row in page.rows] == [False, True, False, True]
        assert (page.newer, page.older) == (None, None)


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({"action": "api-read"}, [("api-read", "api:case-system")]),
        ({"target": "nrm-abc123"}, [("view", "NRM-ABC123")]),  # whatever the case
        (
            {"start": DAY + dt.timedelta(days=1), "end": DAY + dt.timedelta(days=2)},
            [("api-read", "api:case-system")],
        ),
    ],
)
def test_each_filter_narrows_the_trail(
    app: Flask, trail: tuple[int, str], filters: dict[str, object], found: list[object]
) -> None:
    with app.app_context():
        assert actions(audit.search(audit.Filters(**filters))) == found  # type: ignore[arg-type]


def test_the_actor_is_a_user_number_or_an_email_address(app: Flask, trail: tuple[int, str]) -> None:
    admin_id, email = trail
    with app.app_context():
        for actor in (str(admin_id), f"user:{admin_id}", email.upper()):
            assert [a for a, _t in actions(audit.search(audit.Filters(actor=actor)))] == ["view", "sign-in"]
        assert audit.search(audit.Filters(actor="nobody@example.org")).rows == []


@pytest.mark.parametrize(
    ("filters", "field"), [({"action": "delete-everything"}, "action"), ({"actor": "bob"}, "actor")]
)
def test_a_filter_that_cannot_be_used_is_refused_with_its_field(
    app: Flask, filters: dict[str, str], field: str
) -> None:
    with app.app_context(), pytest.raises(audit.BadFilter) as bad:
        audit.search(audit.Filters(**filters))
    assert bad.value.field == field


def test_pages_go_older_and_back_newer(app: Flask) -> None:
    with app.app_context():
        for n in range(5):
            entry("api-read", f"api:{n}")
        db.session.commit()
        first = audit.search(audit.Filters(), size=2)
        assert [t for _a, t in actions(first)] == ["api:4", "api:3"]
        assert first.newer is None
        second = audit.search(audit.Filters(), before=first.older, size=2)
        assert [t for _a, t in actions(second)] == ["api:2", "api:1"]
        assert second.newer is not None
        back = audit.search(audit.Filters(), after=second.newer, size=2)
        assert actions(back) == actions(first)
        last = audit.search(audit.Filters(), before=second.older, size=2)
        assert [t for _a, t in actions(last)] == ["api:0"]
        assert last.older is None
