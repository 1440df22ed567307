"""Every route against every role: who may use it, who is refused, and who is sent to sign in.

Every route of the app must appear here (a new route fails the first test until its rule is
written down), so no page can be added without deciding who may see it.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from assistant.casework import decisions
from assistant.extensions import db
from assistant.storage.models import User
from tests.conftest import Staff, csrf
from tests.evidence import samples
from tests.evidence.uploading import Uploader
from tests.scenarios import ROUTES
from tests.web.chats import complete

FR, CASEWORKER, PANEL, ANALYST, ADMIN = "first-responder", "caseworker", "panel", "analyst", "admin"
TRANSLATOR = "translator"  # of Welsh (tests/conftest.py): other languages are refused in tests/translation
POLICE = "police-liaison"  # of Kent (tests/conftest.py): another force's pages are 404 (tests/web/test_police.py)
ROLES = (FR, CASEWORKER, PANEL, ANALYST, ADMIN, TRANSLATOR, POLICE)
# endpoint -> (method, path, the roles allowed). {ref}: a referral awaiting a decision; {proposed}: one
# with the panel; {draft}: a draft; {user}: a user id. All belong to the first responder's organisation.
RULES: dict[str, tuple[str, str, set[str]]] = {
    "pages.chat": ("GET", "/", {FR}),
    "pages.chat_labels": ("GET", "/chat/labels", {FR}),
    "form.start_page": ("GET", "/form/", {FR}),
    "form.start": ("POST", "/form/start", {FR}),
    "form.question": ("GET", "/form/question", {FR}),
    "form.answer": ("POST", "/form/answer", {FR}),
    "form.navigate": ("POST", "/form/back", {FR}),
    "form.add_file": ("POST", "/form/files/add", {FR}),
    "form.remove_file": ("POST", "/form/files/remove", {FR}),
    "uploads.create": ("POST", "/uploads/", {FR}),
    "uploads.progress": ("GET", "/uploads/{upload}", {FR}),
    "uploads.append": ("PATCH", "/uploads/{upload}", {FR}),
    "uploads.remove": ("DELETE", "/uploads/{upload}", {FR}),  # after the upload's other routes: it ends it
    "evidence.download": ("GET", "/evidence/{proposed}/{file}", {FR, CASEWORKER, PANEL}),
    "evidence.thumbnail": ("GET", "/evidence/{proposed}/{file}/thumbnail", {FR, CASEWORKER, PANEL}),
    "referrals.mine": ("GET", "/referrals/", {FR}),
    "referrals.status": ("GET", "/referrals/{ref}", {FR}),
    "referrals.reconsider": ("POST", "/referrals/{ref}/reconsideration", {FR}),
    "referrals.confirm_delete": ("GET", "/referrals/drafts/{draft}/delete", {FR}),
    "referrals.delete": ("POST", "/referrals/drafts/{draft}/delete", {FR}),
    "casework.queue": ("GET", "/casework/", {CASEWORKER}),
    "casework.claim_next": ("POST", "/casework/claim-next", {CASEWORKER}),
    "casework.referral": ("GET", "/casework/referrals/{ref}", {CASEWORKER}),
    "casework.claim": ("POST", "/casework/referrals/{ref}/claim", {CASEWORKER}),
    "casework.release": ("POST", "/casework/referrals/{ref}/release", {CASEWORKER}),
    "casework.decide": ("POST", "/casework/referrals/{ref}/decide", {CASEWORKER}),
    "panel.queue": ("GET", "/panel/", {PANEL}),
    "panel.referral": ("GET", "/panel/referrals/{proposed}", {PANEL}),
    "panel.review": ("POST", "/panel/referrals/{proposed}/review", {PANEL}),
    "statistics.overview": ("GET", "/statistics/", {ANALYST}),
    "statistics.export": ("GET", "/statistics/export.csv", {ANALYST}),
    "statistics.export_workbook": ("GET", "/statistics/export.xlsx", {ANALYST}),
    "admin.users": ("GET", "/admin/users", {ADMIN}),
    "admin.new_user": ("GET", "/admin/users/new", {ADMIN}),
    "admin.create": ("POST", "/admin/users/new", {ADMIN}),
    "admin.confirm_disable": ("GET", "/admin/users/{user}/disable", {ADMIN}),
    "admin.disable": ("POST", "/admin/users/{user}/disable", {ADMIN}),
    "admin.enable": ("POST", "/admin/users/{user}/enable", {ADMIN}),
    "admin.sign_out": ("POST", "/admin/users/{user}/sign-out", {ADMIN}),
    "admin.audit": ("GET", "/admin/audit", {ADMIN}),
    "admin.languages": ("GET", "/admin/users/{user}/languages", {ADMIN}),
    "admin.set_languages": ("POST", "/admin/users/{user}/languages", {ADMIN}),
    "admin.police_force": ("GET", "/admin/users/{user}/police-force", {ADMIN}),
    "admin.set_police_force": ("POST", "/admin/users/{user}/police-force", {ADMIN}),
    "translate.home": ("GET", "/translate/", {TRANSLATOR}),
    "translate.workspace": ("GET", "/translate/cy", {TRANSLATOR}),
    "translate.propose": ("POST", "/translate/cy/propose", {TRANSLATOR}),
    "translate.review": ("POST", "/translate/cy/review", {TRANSLATOR}),
    "translate.preview_question": ("GET", "/translate/cy/preview/nrm/fr-location", {TRANSLATOR}),
    "translate.preview_card": ("GET", "/translate/cy/cards/consent", {TRANSLATOR}),
    "police.home": ("GET", "/police/", {POLICE}),
    "police.summaries": ("GET", "/police/kent/", {POLICE}),
    "police.export": ("GET", "/police/kent/export.csv", {POLICE}),
}
# Open to anyone, or to anyone signed in whatever their role (each checks for itself).
OPEN = {"static", "pages.health", "auth.sign_in", "auth.sign_in_post", "auth.sign_out", "auth.alive", "auth.account"}
TOKEN_ONLY = {
    "api.list_referrals",
    "api.acknowledge",
    "api.evidence_file",
}  # the intake API: bearer tokens, never cookies
# Routes of one referral or draft: another organisation's first responder finds nothing there.
ORGANISATION_SCOPED = (
    "referrals.status",
    "referrals.reconsider",
    "referrals.confirm_delete",
    "referrals.delete",
    "uploads.progress",
    "uploads.append",
    "uploads.remove",
    "evidence.download",
)


def test_every_route_has_an_access_rule(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(RULES) | OPEN | TOKEN_ONLY


@pytest.fixture
def world(app: Flask, new_chat: Any, staff: Staff, list_values: dict[str, str]) -> dict[str, str]:
    """A draft with an upload under way, a referral awaiting a decision and one with the panel (with
    a photo), all of the Salvation Army."""
    values: dict[str, str] = {}
    for name in ("ref", "proposed"):
        chat = new_chat("salvation-army")
        chat.start()
        given = {}
        if name == "proposed":
            values["file"] = Uploader(chat.web, chat.conversation_id).send(samples.png()).json["id"]
            given = {"supporting-documents": [{"file": values["file"], "description": "A synthetic photo"}]}
        complete(chat, {**ROUTES["child"], **given}, list_values)
        values[name] = chat.send("submit")["submitted"]["reference"]
    draft = new_chat("salvation-army")
    draft.start()
    values["draft"] = draft.conversation_id
    values["upload"] = Uploader(draft.web, draft.conversation_id).create(100).json["id"]
    caseworker = staff.user(CASEWORKER)
    values["user"] = str(staff.user(FR).id)
    with app.app_context():
        referral = decisions.get_for_update(values["proposed"])
        assert referral is not None
        user = db.session.get(User, caseworker.id)
        decisions.claim(referral, user)
        decisions.take(referral, user, "rg-negative", "Synthetic reasons.")
        db.session.commit()
    return values


def request(client: Any, endpoint: str, world: dict[str, str]) -> Any:
    method, path, _roles = RULES[endpoint]
    url = path.format(**world)
    if method == "GET":
        return client.get(url)
    token = csrf(client.get("/sign-in").text)
    if method != "POST":
        return client.open(url, method=method, headers={"X-CSRFToken": token})
    return client.post(url, data={"csrf_token": token, "reasons": "Synthetic."})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_own_routes_and_no_others(staff: Staff, world: dict[str, str], role: str) -> None:
    client = staff.client(role)
    for endpoint, (_method, _path, allowed) in RULES.items():
        response = request(client, endpoint, world)
        where = f"{role} on {endpoint}: {response.status_code} {response.location or ''}"
        if role in allowed:
            assert response.status_code not in (401, 403, 404), where
            assert "/sign-in" not in (response.location or ""), where
        elif endpoint == "pages.chat":  # the start page sends other roles to their own pages
            assert response.status_code == 302, where
            assert response.location not in ("/", None), where
        else:
            assert response.status_code == 403, where


def test_signed_out_visitors_are_sent_to_sign_in_everywhere(client: Any, world: dict[str, str]) -> None:
    for endpoint in RULES:
        response = request(client, endpoint, world)
        assert response.status_code == 302, endpoint
        assert response.location.startswith("/sign-in"), endpoint


def test_another_organisation_finds_nothing_of_ours(staff: Staff, world: dict[str, str]) -> None:
    outsider = staff.client(FR, "barnardos")
    for endpoint in ORGANISATION_SCOPED:
        assert request(outsider, endpoint, world).status_code == 404, endpoint
    assert world["ref"] not in outsider.get("/referrals/").text
    assert 'id="carry-on"' not in outsider.get(f"/?conversation={world['draft']}").text


@pytest.mark.parametrize("role", ROLES)
def test_a_staff_session_opens_nothing_in_the_intake_api(staff: Staff, role: str) -> None:
    assert staff.client(role).get("/api/v1/referrals").status_code == 401
