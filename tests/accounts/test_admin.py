"""The administrators' pages: creating accounts, disabling, enabling and signing users out everywhere,
and the append-only audit trail with its filters. Every account and value here is synthetic."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import current_user
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from assistant import audit
from assistant.extensions import db, socketio
from assistant.storage.models import AuditEntry, User
from assistant.web.admin import ACTION_LABELS, PAGE_SIZE
from tests.conftest import PASSWORD, Staff, csrf, sign_in

ROW = re.compile(r'<tr role="row">\s*<td [^>]*><time.*?</tr>', re.S)  # an entry of the audit table
NEW = {
    "email": "New.Worker@Example.org",
    "name": "Synthetic New Worker",
    "role": "caseworker",
    "organisation": "single-competent-authority",
    "password": "a synthetic password 123",
}


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, page: str = "/admin/users") -> Any:
    return client.post(url, data={"csrf_token": csrf(client.get(page).text), **(data or {})})


def entries(app: Flask, action: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(db.session.scalars(query))


def account(app: Flask, email: str) -> User:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        db.session.expunge(user)
        return user


def signed_in(client: FlaskClient) -> bool:
    with client:
        client.get("/session/alive")
        return bool(current_user.is_authenticated)


# Creating accounts ---------------------------------------------------------------------------------


def test_an_admin_creates_an_account_with_a_password_and_it_can_sign_in(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    form = admin.get("/admin/users/new")
    assert form.status_code == 200
    assert '<option value="salvation-army">The Salvation Army</option>' in form.text  # first responders' list
    assert '<option value="single-competent-authority">' in form.text  # and the central organisations
    assert '<legend class="field-label">Role</legend>' in form.text
    response = post(admin, "/admin/users/new", NEW, page="/admin/users/new")
    assert response.status_code == 302
    assert response.location == "/admin/users"
    assert "The account for new.worker@example.org has been created." in admin.get("/admin/users").text
    created = account(app, "new.worker@example.org")
    assert (created.role, created.organisation.slug, created.active) == (
        "caseworker",
        "single-competent-authority",
        True,
    )
    [entry] = entries(app, "user-create")
    assert (entry.target, entry.actor_id, entry.actor_role) == (f"user:{created.id}", admin.user.id, "admin")
    newcomer = app.test_client()
    sign_in(newcomer, "new.worker@example.org", NEW["password"])


def test_an_empty_password_is_generated_and_shown_once(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    response = post(
        admin,
        "/admin/users/new",
        {**NEW, "password": "", "role": "first-responder", "organisation": "barnardos"},
        page="/admin/users/new",
    )
    assert response.status_code == 200
    assert "Account created" in response.text
    password = re.search(r'<strong class="reference" dir="ltr" translate="no">([^<]+)</strong>', response.text).group(1)
    assert len(password) >= 12
    assert response.headers["Cache-Control"] == "no-store"
    assert password not in admin.get("/admin/users").text
    with admin.session_transaction() as session:
        assert password not in str(dict(session))
    assert password not in str([(e.action, e.target, e.outcome) for e in entries(app)])
    sign_in(app.test_client(), "new.worker@example.org", password)
    assert account(app, "new.worker@example.org").organisation.name == "Barnardo's"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": ""}, "email", "Enter the email address."),
        ({"email": "not-an-address"}, "email", "Enter an email address in the correct format, like name@example.org."),
        ({"name": "  "}, "name", "Enter the name."),
        ({"role": ""}, "role", "Choose a role."),
        ({"role": "immigration-officer"}, "role", "Choose a role."),
        ({"organisation": ""}, "organisation", "Choose an organisation."),
        ({"organisation": "nowhere"}, "organisation", "Choose an organisation."),
        (
            {"role": "first-responder"},
            "organisation",
            "A first responder must belong to a first-responder organisation.",
        ),
        ({"organisation": "barnardos"}, "organisation", "Caseworkers and panel members belong to the Single"),
        ({"password": "too short"}, "password", "The password must have at least 12 characters"),
    ],
)
def test_errors_are_summarised_linked_to_the_field_and_keep_what_was_typed(
    app: Flask, staff: Staff, change: dict[str, str], field: str, message: str
) -> None:
    admin = staff.client("admin")
    typed = {**NEW, **change}
    response = post(admin, "/admin/users/new", typed, page="/admin/users/new")
    assert response.status_code == 400
    assert "<title>Error:" in response.text
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0)
    assert f'href="#{field}"' in summary
    assert message in summary
    assert f'id="{field}-error"' in response.text
    assert f'id="{field}"' in response.text  # the summary's link has somewhere to go
    if typed["email"]:
        assert f'value="{typed["email"]}"' in response.text
    assert NEW["password"] not in response.text
    assert 'name="password" type="password" autocomplete="new-password" spellcheck="false"' in response.text
    assert not entries(app, "user-create")
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "new.worker@example.org")) is None


def test_an_email_already_in_use_is_refused(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    taken = staff.user("first-responder")
    response = post(admin, "/admin/users/new", {**NEW, "email": taken.email.upper()}, page="/admin/users/new")
    assert response.status_code == 400
    assert "There is already an account with that email address." in response.text
    assert not entries(app, "user-create")


# Disabling, enabling and signing out everywhere -----------------------------------------------------


def test_disabling_ends_the_users_sessions_and_live_chat_and_enabling_lets_them_back(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    worker = staff.client("first-responder")
    live = socketio.test_client(app, flask_test_client=worker)
    assert live.is_connected()
    assert signed_in(worker)

    listed = admin.get("/admin/users?role=first-responder").text
    confirm = f"/admin/users/{worker.user.id}/disable?role=first-responder"
    assert f'href="{confirm}"' in listed  # a link to a confirmation, not a button that does it
    assert f'action="/admin/users/{worker.user.id}/disable"' not in listed
    page = admin.get(confirm)
    assert page.status_code == 200
    assert "<title>Disable Synthetic first-responder's account?" in page.text
    assert "Disable <bdi>Synthetic first-responder</bdi>'s account?</h1>" in page.text
    assert worker.user.email in page.text
    assert f'<form method="post" action="/admin/users/{worker.user.id}/disable">' in page.text
    assert '<input type="hidden" name="role" value="first-responder">' in page.text
    assert 'href="/admin/users?role=first-responder">Keep it active</a>' in page.text
    assert signed_in(worker)  # asking is not doing
    assert account(app, worker.user.email).active
    assert not entries(app, "user-disable")

    response = post(admin, f"/admin/users/{worker.user.id}/disable", {"role": "first-responder"}, page=confirm)
    assert response.status_code == 302
    assert response.location == "/admin/users?role=first-responder"
    assert not live.is_connected()
    assert not signed_in(worker)
    assert worker.get("/referrals/").status_code == 302  # sent to sign in
    again = app.test_client()
    token = csrf(again.get("/sign-in").text)
    refused = again.post("/sign-in", data={"csrf_token": token, "email": worker.user.email, "password": PASSWORD})
    assert refused.status_code == 200  # a disabled account cannot sign in
    assert "Disabled" in admin.get("/admin/users").text
    again = admin.get(f"/admin/users/{worker.user.id}/disable")  # already disabled: nothing to confirm
    assert again.status_code == 302
    assert "account is already disabled." in admin.get(again.location).text

    assert post(admin, f"/admin/users/{worker.user.id}/enable").status_code == 302
    assert not signed_in(worker)  # the old session stays ended
    sign_in(app.test_client(), worker.user.email)
    assert [e.target for e in entries(app) if e.action in ("user-disable", "user-enable")] == [
        f"user:{worker.user.id}"
    ] * 2


def test_signing_a_user_out_everywhere(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    worker = staff.client("first-responder")
    elsewhere = app.test_client()
    sign_in(elsewhere, worker.user.email)
    live = socketio.test_client(app, flask_test_client=worker)
    assert live.is_connected()

    assert post(admin, f"/admin/users/{worker.user.id}/sign-out").status_code == 302
    assert not live.is_connected()
    assert not signed_in(worker)
    assert not signed_in(elsewhere)
    assert account(app, worker.user.email).active  # still able to sign in again
    sign_in(app.test_client(), worker.user.email)
    [entry] = entries(app, "user-sign-out")
    assert (entry.target, entry.actor_id, entry.outcome) == (f"user:{worker.user.id}", admin.user.id, "ok")


def test_an_admin_cannot_disable_themself(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    page = admin.get("/admin/users").text
    assert "This is you" in page
    assert f"/admin/users/{admin.user.id}/disable" not in page
    asked = admin.get(f"/admin/users/{admin.user.id}/disable")
    assert asked.status_code == 400
    assert "You cannot disable your own account." in asked.text
    assert not entries(app, "user-disable")  # only trying to do it is audited
    response = post(admin, f"/admin/users/{admin.user.id}/disable")
    assert response.status_code == 400
    assert "You cannot disable your own account." in response.text
    assert f'href="#user-{admin.user.id}"' in response.text
    assert account(app, admin.user.email).active
    assert signed_in(admin)
    [entry] = entries(app, "user-disable")
    assert entry.outcome == "refused"


def test_an_unknown_user_is_not_found(staff: Staff) -> None:
    admin = staff.client("admin")
    assert admin.get("/admin/users/999999/disable").status_code == 404
    assert post(admin, "/admin/users/999999/disable").status_code == 404


def test_the_users_list_filters_by_role(staff: Staff) -> None:
    admin = staff.client("admin")
    panel = staff.user("panel")
    caseworker = staff.user("caseworker")
    everyone = admin.get("/admin/users").text
    assert panel.email in everyone
    assert caseworker.email in everyone
    assert "Last signed in" in everyone
    only_panel = admin.get("/admin/users?role=panel").text
    assert panel.email in only_panel
    assert caseworker.email not in only_panel
    assert '<option value="panel" selected>' in only_panel
    assert "<caption>Accounts with the role Panel member</caption>" in only_panel


# The audit trail ------------------------------------------------------------------------------------


def add_entries(app: Flask, actor: Any, count: int, action: str = "view", at: dt.datetime | None = None) -> None:
    with app.app_context():
        user = db.session.get(User, actor.id)
        for n in range(count):
            entry = audit.record(action, f"NRM-TEST-{n:04d}", actor=user)
            if at is not None:
                entry.at = at
        db.session.commit()


def test_the_audit_trail_lists_entries_newest_first_with_who_did_what(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    worker = staff.user("caseworker")
    add_entries(app, worker, 1, "claim")
    page = admin.get("/admin/audit").text
    rows = ROW.findall(page)
    assert "Claimed a referral" in rows[0]  # newest first
    assert "Synthetic caseworker" in rows[0]
    assert "Caseworker" in rows[0]
    assert "NRM-TEST-0000" in rows[0]
    assert "Done" in rows[0]
    assert "Signed in" in rows[-1]  # the admin's own sign-in came first
    assert '<caption id="audit-caption">Audit entries, newest first' in page
    # reading the trail adds nothing to it
    before = len(entries(app))
    admin.get("/admin/audit")
    assert len(entries(app)) == before


def test_every_audit_action_has_a_label() -> None:
    assert set(ACTION_LABELS) == set(audit.ACTIONS)


def test_the_audit_trail_is_paginated(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    add_entries(app, admin.user, PAGE_SIZE + 10)  # and the sign-in: PAGE_SIZE + 11 entries in all
    first = admin.get("/admin/audit").text
    assert len(ROW.findall(first)) == PAGE_SIZE
    assert "NRM-TEST-0059" in first
    assert "Newer entries" not in first
    older = re.search(r'href="(/admin/audit\?before=\d+)"', first).group(1)
    second = admin.get(older).text
    assert len(ROW.findall(second)) == 11
    assert "NRM-TEST-0009" in second
    assert "Signed in" in second
    assert "Older entries" not in second
    newer = re.search(r'href="(/admin/audit\?after=\d+)"', second).group(1)
    back = admin.get(newer.replace("&amp;", "&")).text
    assert re.findall(ROW, back) == re.findall(ROW, first)


def test_the_audit_trail_filters(app: Flask, staff: Staff) -> None:
    admin = staff.client("admin")
    worker = staff.user("caseworker")
    add_entries(app, worker, 3, "claim")
    add_entries(app, worker, 2, "view", at=dt.datetime(2024, 1, 15, 12, tzinfo=dt.UTC))

    def shown(query: str) -> list[str]:
        response = admin.get(f"/admin/audit?{query}")
        assert response.status_code == 200, response.text
        return ROW.findall(response.text)

    assert len(shown("action=claim")) == 3
    assert len(shown(f"actor={worker.id}")) == 5
    assert len(shown(f"actor=user:{worker.id}")) == 5
    assert len(shown(f"actor={worker.email.upper()}")) == 5
    assert len(shown("actor=nobody@example.org")) == 0
    assert len(shown("target=NRM-TEST-0001")) == 2
    assert len(shown("target=NRM-TEST-0001&action=claim")) == 1
    assert len(shown("target=nrm-test-0001")) == 2  # as typed, in any case
    assert len(shown("from=2024-01-15&to=2024-01-15")) == 2
    assert len(shown("to=2024-01-14")) == 0
    assert len(shown(f"from={dt.datetime.now(dt.UTC).date().isoformat()}")) == 3 + 1  # and the admin's sign-in
    # the filters are kept in the form and in the paging links
    page = admin.get("/admin/audit?action=claim").text
    assert '<option value="claim" selected>' in page
    assert "Clear the filters" in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2024-02-30", "from", "Enter a real date"),
        ("from=2024-03-02&to=2024-03-01", "to", "The end date must be the same as or after the start date."),
        ("actor=somebody", "actor", "Enter a user number, like 12, or an email address."),
        ("action=rewrite-history", "action", "Choose an action from the list."),
    ],
)
def test_a_wrong_filter_is_explained(staff: Staff, query: str, field: str, message: str) -> None:
    response = staff.client("admin").get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert f'href="#{field}"' in response.text
    assert message in response.text


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET outcome = 'changed'", "DELETE FROM audit_entries"])
def test_the_audit_table_refuses_update_and_delete(app: Flask, staff: Staff, statement: str) -> None:
    staff.client("admin")  # signing in writes an entry
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert [e.outcome for e in db.session.scalars(select(AuditEntry))] == ["ok"]


# Who may see these pages ----------------------------------------------------------------------------

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/audit"]


@pytest.mark.parametrize("role", ["first-responder", "caseworker", "panel", "analyst"])
def test_other_roles_are_forbidden(app: Flask, staff: Staff, role: str) -> None:
    client = staff.client(role)
    target = staff.user("caseworker")
    for url in [*ADMIN_PAGES, f"/admin/users/{target.id}/disable"]:
        assert client.get(url).status_code == 403, url
    token = csrf(client.get("/sign-in").text)
    for action in ("disable", "enable", "sign-out"):
        assert client.post(f"/admin/users/{target.id}/{action}", data={"csrf_token": token}).status_code == 403
    assert client.post("/admin/users/new", data={"csrf_token": token, **NEW}).status_code == 403
    assert account(app, target.email).active
    assert not entries(app, "user-create")


def test_anonymous_users_are_sent_to_sign_in(client: FlaskClient) -> None:
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/sign-in?next=")


def test_an_admin_starts_on_the_users_page(app: Flask, staff: Staff) -> None:
    client = app.test_client()
    admin = staff.user("admin")
    assert sign_in(client, admin.email).location == "/admin/users"
    nav = client.get("/admin/users").text
    assert 'href="/admin/audit"' in nav
    assert 'aria-current="page">Users</a>' in nav


def test_entries_without_a_member_of_staff_are_listed_too(app: Flask, staff: Staff, client: Any) -> None:
    from tests.conftest import csrf

    client.post(
        "/sign-in",
        data={
            "csrf_token": csrf(client.get("/sign-in").text),
            "email": "nobody@example.org",
            "password": "not the password at all",
        },
    )
    admin = staff.client("admin")
    rows = ROW.findall(admin.get("/admin/audit?action=sign-in-failed").text)
    assert len(rows) == 1
    assert "Nobody signed in" in rows[0]
    assert len(ROW.findall(admin.get("/admin/audit").text)) == 2  # and the admin's own sign-in
