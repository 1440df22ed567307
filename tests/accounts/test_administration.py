"""The account rules of assistant/accounts/administration.py, called with a database session: typed
errors (a code and a field, never a message to match), and every change audited."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from assistant.access import NotFound
from assistant.accounts import administration
from assistant.accounts.users import AccountError
from assistant.extensions import db
from assistant.storage.models import AuditEntry, User
from tests import factories

GOOD = {
    "email": "new.person@example.org",
    "name": "New Person",
    "role": "caseworker",
    "slug": "single-competent-authority",
    "password": "a long enough password",
}


def trail() -> list[tuple[str, str | None, str, int | None]]:
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.action, e.target, e.outcome, e.actor_id) for e in entries]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"email": ""}, "email_missing", "email"),
        ({"email": "no at sign"}, "email_format", "email"),
        ({"name": ""}, "name_missing", "name"),
        ({"name": "x" * 201}, "name_too_long", "name"),
        ({"role": "superuser"}, "role", "role"),
        ({"slug": "no-such-organisation"}, "organisation_unknown", "organisation"),
        ({"role": "first-responder"}, "organisation_not_first_responder", "organisation"),
        ({"slug": "salvation-army"}, "organisation_not_central", "organisation"),
        ({"password": "short"}, "password_short", "password"),
    ],
)
def test_the_form_is_refused_with_a_code_and_the_field_at_fault(
    app: Flask, change: dict[str, str], code: str, field: str
) -> None:
    with app.app_context():
        with pytest.raises(AccountError) as refused:
            administration.create_account(**{**GOOD, **change})
        assert (refused.value.code, refused.value.field) == (code, field)
        assert db.session.scalars(select(User)).all() == []


def test_an_email_already_taken_is_refused_and_nothing_is_kept(app: Flask) -> None:
    with app.app_context():
        administration.create_account(**GOOD)
        with pytest.raises(AccountError) as refused:
            administration.create_account(**{**GOOD, "email": GOOD["email"].upper(), "slug": "independent-panel"})
        assert (refused.value.code, refused.value.field) == ("email_taken", "email")
        assert [u.email for u in db.session.scalars(select(User))] == [GOOD["email"]]
        assert [a for a, *_rest in trail()] == ["user-create"]


def test_an_empty_password_is_generated_and_returned_once(app: Flask) -> None:
    with app.app_context():
        created = administration.create_account(**{**GOOD, "password": ""})
        assert created.password is not None
        assert len(created.password) >= 20
        typed = administration.create_account(**{**GOOD, "email": "other@example.org"})
        assert typed.password is None


def test_disabling_ends_sessions_and_is_audited_and_no_one_disables_themselves(app: Flask) -> None:
    with app.app_context():
        admin, caseworker = factories.user("admin"), factories.user("caseworker")
        db.session.commit()
        version = caseworker.session_version
        administration.disable(caseworker.id, admin)
        assert not caseworker.active
        assert caseworker.session_version == version + 1
        with pytest.raises(administration.AlreadyDisabled):
            administration.check_disable(caseworker.id, admin)
        with pytest.raises(administration.CannotDisableYourself):
            administration.disable(admin.id, admin)
        assert admin.active
        administration.enable(caseworker.id, admin)
        administration.sign_out_everywhere(caseworker.id, admin)
        assert caseworker.active
        assert caseworker.session_version == version + 2
        target = f"user:{caseworker.id}"
        assert trail() == [
            ("user-disable", target, "ok", admin.id),
            ("user-disable", f"user:{admin.id}", "refused", admin.id),
            ("user-enable", target, "ok", admin.id),
            ("user-sign-out", target, "ok", admin.id),
        ]
        with pytest.raises(NotFound):
            administration.enable(10_000, admin)


def test_the_command_line_checks_the_organisation_and_records_no_staff_actor(app: Flask) -> None:
    with app.app_context():
        with pytest.raises(AccountError) as refused:
            administration.create_from_command_line(
                GOOD["email"], "A", "caseworker", "salvation-army", GOOD["password"]
            )
        assert refused.value.code == "organisation_role"
        user = administration.create_from_command_line(
            GOOD["email"], "A", "first-responder", "salvation-army", GOOD["password"]
        )
        assert trail() == [("user-create", f"user:{user.id}", "ok", None)]
