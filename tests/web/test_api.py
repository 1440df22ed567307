"""The intake API: bearer tokens, cursor paging that never skips or repeats, idempotent acknowledgements."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from assistant.casework.lifecycle import STATES
from assistant.extensions import db
from assistant.intake import intake_records
from assistant.references import new_reference
from assistant.storage.models import ApiClient, AuditEntry, Conversation, Referral
from assistant.web import api as api_module
from assistant.web.api import encode_cursor
from tests.conftest import ROOT, Chat
from tests.scenarios import ROUTES
from tests.web.chats import complete

LIST = "/api/v1/referrals"
SPEC = ROOT / "docs" / "openapi.yaml"


def create_client(app: Flask, name: str = "case-system") -> str:
    """A new API client through the CLI; returns its token, printed once on stdout."""
    result = app.test_cli_runner().invoke(args=["api-clients", "create", "--name", name])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("nrm_")
    assert "\n" not in token
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def token(app: Flask) -> str:
    return create_client(app)


@pytest.fixture
def submit(new_chat: Callable[..., Chat], list_values: dict[str, str]) -> Callable[[str], str]:
    """Complete and submit a referral by a route of tests/scenarios.py; returns its reference."""
    chat = new_chat()

    def run(route: str = "child") -> str:
        chat.start()
        complete(chat, ROUTES[route], list_values)
        return str(chat.send("submit")["submitted"]["reference"])

    return run


def get(client: FlaskClient, token: str, **params: Any) -> Any:
    return client.get(LIST, query_string=params, headers=bearer(token))


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.content_type == "application/problem+json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()
    return dict(body)


def audit_entries(app: Flask, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = list(
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        )
        db.session.expunge_all()
        return entries


def test_without_a_good_token_every_endpoint_answers_401(app: Flask, client: FlaskClient, token: str) -> None:
    for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer"}):
        response = client.get(LIST, headers=headers)
        is_problem(response, 401)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="nrm-intake"'
    for wrong in ("nrm_not-the-token", token + "x", token.upper()):
        response = client.get(LIST, headers=bearer(wrong))
        assert is_problem(response, 401)["detail"] == "The token is unknown or disabled."
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="nrm-intake", error="invalid_token"'
    is_problem(client.post("/api/v1/referrals/NRM-AAAA-AAAA/acknowledgement"), 401)
    assert get(client, token).status_code == 200
    assert client.get(LIST, headers={"Authorization": f"bearer  {token} "}).status_code == 200  # scheme is any case

    result = app.test_cli_runner().invoke(args=["api-clients", "disable", "--name", "case-system"])
    assert result.exit_code == 0, result.output
    response = get(client, token)
    assert is_problem(response, 401)["detail"] == "The token is unknown or disabled."  # the same as an unknown one
    assert len(audit_entries(app, "api-read")) == 2  # only the two calls that got through
    assert [e.target for e in audit_entries(app, "api-client-disable")] == ["api:case-system"]


def test_a_staff_cookie_alongside_a_token_does_not_make_the_call_theirs(app: Flask, staff: Any, token: str) -> None:
    caseworker = staff.client("caseworker")
    assert get(caseworker, token).status_code == 200
    assert [(e.target, e.actor_id) for e in audit_entries(app, "api-read")] == [("api:case-system", None)]


def test_the_token_is_stored_only_as_its_hash(app: Flask, client: FlaskClient, token: str) -> None:
    with app.app_context():
        row = db.session.execute(text("SELECT * FROM api_clients")).one()
        assert token not in repr(tuple(row))
        api_client = db.session.scalars(select(ApiClient)).one()
        assert api_client.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert api_client.last_used_at is None
    get(client, token)
    with app.app_context():
        assert db.session.scalars(select(ApiClient)).one().last_used_at is not None


def test_paging_with_cursors_never_repeats_or_misses_a_referral(
    app: Flask, client: FlaskClient, token: str, submit: Callable[[str], str]
) -> None:
    submitted = [submit("child"), submit("adult-refusal-not-cooperating"), submit("adult-consent-with-support")]
    everything = get(client, token).get_json()
    assert len(everything["referrals"]) == 3  # the default limit covers them all

    seen: list[str] = []
    cursor = None
    for _ in range(3):
        page = get(client, token, limit=1, **({"after": cursor} if cursor else {}))
        assert page.status_code == 200
        assert page.content_type == "application/json"
        assert page.headers["Cache-Control"] == "no-store"
        body = page.get_json()
        seen += [record["reference"] for record in body["referrals"]]
        cursor = body["next_cursor"]
    assert seen == submitted

    # the end of the queue: nothing, and the same cursor to poll with again
    end = get(client, token, after=cursor).get_json()
    assert end == {"referrals": [], "next_cursor": cursor}
    fourth = submit("child")
    page = get(client, token, after=cursor, limit=200).get_json()
    assert [record["reference"] for record in page["referrals"]] == [fourth]

    # pages of two give the same sequence
    first = get(client, token, limit=2).get_json()
    second = get(client, token, limit=2, after=first["next_cursor"]).get_json()
    assert [r["reference"] for r in first["referrals"] + second["referrals"]] == [*submitted, fourth]
    assert get(client, token, after=second["next_cursor"]).get_json()["referrals"] == []


def test_a_listed_referral_is_its_intake_record_with_status_and_acknowledgement(
    app: Flask, client: FlaskClient, token: str, submit: Callable[[str], str]
) -> None:
    submit("child")
    [listed] = get(client, token).get_json()["referrals"]
    with app.app_context():
        [record] = intake_records()
    assert listed == {**record, "status": "awaiting-rg", "acknowledged_at": None}


def test_an_empty_queue_gives_a_cursor_for_the_start(client: FlaskClient, token: str) -> None:
    body = get(client, token).get_json()
    assert body["referrals"] == []
    assert get(client, token, after=body["next_cursor"]).get_json() == body


@pytest.mark.parametrize("limit", ["0", "201", "-1", "abc", "1.5", "", " 5", "1e2", "99999999999"])
def test_a_limit_out_of_range_or_not_a_whole_number_is_refused(client: FlaskClient, token: str, limit: str) -> None:
    body = is_problem(get(client, token, limit=limit), 400)
    assert body["parameter"] == "limit"


@pytest.mark.parametrize("limit", ["1", "200", "050"])
def test_a_limit_from_1_to_200_is_taken(client: FlaskClient, token: str, limit: str) -> None:
    assert get(client, token, limit=limit).status_code == 200


@pytest.mark.parametrize(
    "cursor", ["", "!!!", "abc", "c", "C1", "c01", "c1A", "c1.", "c 1", "c1\n", "c" + "f" * 16, "1"]
)
def test_a_malformed_cursor_is_refused(client: FlaskClient, token: str, cursor: str) -> None:
    assert is_problem(get(client, token, after=cursor), 400)["parameter"] == "after"


def test_a_cursor_past_the_end_of_the_queue_is_taken(client: FlaskClient, token: str) -> None:
    cursor = encode_cursor(16**15 - 1)
    assert get(client, token, after=cursor).get_json() == {"referrals": [], "next_cursor": cursor}


def test_unknown_or_repeated_query_parameters_are_refused(client: FlaskClient, token: str) -> None:
    assert is_problem(get(client, token, unacknowleged="true"), 400)["parameter"] == "unacknowleged"
    assert is_problem(client.get(f"{LIST}?limit=1&limit=2", headers=bearer(token)), 400)["parameter"] == "limit"
    assert is_problem(client.get(f"{LIST}?=0", headers=bearer(token)), 400)["parameter"] == ""
    response = client.post("/api/v1/referrals/NRM-AAAA-AAAA/acknowledgement?force=1", headers=bearer(token))
    assert is_problem(response, 400)["parameter"] == "force"


def test_unacknowledged_must_be_true_or_false(client: FlaskClient, token: str) -> None:
    assert is_problem(get(client, token, unacknowledged="yes"), 400)["parameter"] == "unacknowledged"
    assert get(client, token, unacknowledged="false").status_code == 200


def test_an_acknowledgement_is_idempotent_per_client_and_shows_in_the_listing(
    app: Flask, client: FlaskClient, token: str, submit: Callable[[str], str]
) -> None:
    first, second, third = submit("child"), submit("child"), submit("adult-refusal-not-cooperating")
    url = f"/api/v1/referrals/{second}/acknowledgement"
    response = client.post(url, headers=bearer(token))  # no CSRF token, no cookie: the API needs none
    assert response.status_code == 200, response.text
    assert response.content_type == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    acknowledged = response.get_json()
    assert acknowledged["reference"] == second
    assert acknowledged["acknowledged_at"].endswith("Z")
    time.sleep(0.01)
    again = client.post(url.replace(second, second.lower()), headers=bearer(token))
    assert again.status_code == 200
    assert again.get_json() == acknowledged  # the first time's timestamp

    listed = {r["reference"]: r["acknowledged_at"] for r in get(client, token).get_json()["referrals"]}
    assert listed == {first: None, second: acknowledged["acknowledged_at"], third: None}
    page = get(client, token, unacknowledged="true", limit=1).get_json()
    assert [r["reference"] for r in page["referrals"]] == [first]
    page = get(client, token, unacknowledged="true", after=page["next_cursor"]).get_json()
    assert [r["reference"] for r in page["referrals"]] == [third]

    # another client has acknowledged nothing
    other = create_client(app, "another-system")
    assert len(get(client, other, unacknowledged="true").get_json()["referrals"]) == 3

    entries = audit_entries(app, "api-acknowledge")
    assert [(e.target, e.actor_id, e.outcome) for e in entries] == [(second, None, "ok")]


def test_acknowledging_an_unknown_reference_is_404(client: FlaskClient, token: str) -> None:
    body = is_problem(client.post("/api/v1/referrals/NRM-AAAA-AAAA/acknowledgement", headers=bearer(token)), 404)
    assert body["detail"] == "There is no referral with that reference."


def test_each_listing_is_audited_with_the_client_and_creating_one_too(
    app: Flask, client: FlaskClient, token: str
) -> None:
    get(client, token)
    get(client, token, limit=5)
    is_problem(get(client, token, limit=0), 400)  # refused before anything was read
    assert [(e.target, e.actor_id) for e in audit_entries(app, "api-read")] == [("api:case-system", None)] * 2
    assert [e.target for e in audit_entries(app, "api-client-create")] == ["api:case-system"]

    long_name = "a" + "b" * 70
    long_token = create_client(app, long_name)
    get(client, long_token)
    with app.app_context():
        client_id = db.session.scalars(select(ApiClient.id).where(ApiClient.name == long_name)).one()
    assert audit_entries(app, "api-read")[-1].target == f"api:{client_id}"
    assert audit_entries(app, "api-client-create")[-1].target == f"api:{client_id}"


def test_other_paths_and_methods_answer_as_the_api(client: FlaskClient, token: str) -> None:
    response = client.get("/api/v1/referrals/NRM-AAAA-AAAA/acknowledgement", headers=bearer(token))
    is_problem(response, 405)
    assert response.headers["Allow"] == "POST"
    response = client.delete(LIST, headers=bearer(token))
    is_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    is_problem(client.options(LIST, headers=bearer(token)), 405)
    is_problem(client.get("/api/v1/nothing-here", headers=bearer(token)), 404)
    is_problem(client.get("/api/v1", headers=bearer(token)), 404)


def test_csrf_protection_still_guards_the_forms(client: FlaskClient, staff: Any) -> None:
    """The API's exemption is its own: a form POST without its token is still refused."""
    signed_in = staff.client("first-responder")
    assert signed_in.post("/sign-out").status_code == 400


def test_requests_are_rate_limited_per_token(
    app: Flask, client: FlaskClient, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    other = create_client(app, "another-system")
    for _ in range(2):
        assert get(client, token).status_code == 200
    assert client.post("/api/v1/referrals/NRM-AAAA-AAAA/acknowledgement", headers=bearer(token)).status_code == 404
    response = get(client, token)  # one budget for both endpoints
    body = is_problem(response, 429)
    assert "3 per 1 minute" in body["detail"]
    assert int(response.headers["Retry-After"]) > 0
    schemathesis.openapi.from_path(SPEC)[LIST]["GET"].validate_response(response)  # as documented
    assert get(client, other).status_code == 200  # another token has its own budget


def test_the_cli_lists_and_disables_clients(app: Flask, client: FlaskClient, token: str) -> None:
    runner = app.test_cli_runner()
    get(client, token)
    listed = runner.invoke(args=["api-clients", "list"])
    assert listed.exit_code == 0
    assert "case-system  active  created " in listed.output
    assert "last used never" not in listed.output
    assert token not in listed.output
    assert runner.invoke(args=["api-clients", "create", "--name", "case-system"]).exit_code == 1  # taken
    assert runner.invoke(args=["api-clients", "create", "--name", "42"]).exit_code == 1  # must start with a letter
    assert runner.invoke(args=["api-clients", "disable", "--name", "nobody"]).exit_code == 1
    assert runner.invoke(args=["api-clients", "disable", "--name", "case-system"]).exit_code == 0
    assert "case-system  disabled" in runner.invoke(args=["api-clients", "list"]).output


def _hold_an_uncommitted_referral(app: Flask) -> Session:
    """A submission in flight: its referral has drawn an id but is not committed yet."""
    session = Session(db.engine)
    flow_version_id = db.session.scalars(select(Conversation.flow_version_id)).first()
    conversation = Conversation(
        id="f" * 32, flow_version_id=flow_version_id, status="submitted", state="submitted", snapshot={}, language="en"
    )
    session.add(conversation)
    session.add(
        Referral(
            reference=new_reference("nrm"),
            kind="nrm",
            conversation_id=conversation.id,
            flow_id="nrm",
            flow_version="1",
            language="en",
            status="awaiting-rg",
            answers={},
        )
    )
    session.flush()
    return session


def test_a_referral_committed_after_a_later_one_is_not_skipped(
    app: Flask, client: FlaskClient, token: str, submit: Callable[[str], str]
) -> None:
    """PostgreSQL hands out ids before commit: the listing waits for submissions in flight."""
    first = submit("child")
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite writes one transaction at a time, so ids always commit in order")
        in_flight = _hold_an_uncommitted_referral(app)
    try:
        third = submit("child")  # a later id, committed first
        pages: list[Any] = []
        reader = threading.Thread(target=lambda: pages.append(get(app.test_client(), token).get_json()))
        reader.start()
        reader.join(0.5)
        assert reader.is_alive(), "the listing did not wait for the submission in flight"
        in_flight.commit()
        reader.join(10)
    finally:
        in_flight.close()
    references = [r["reference"] for r in pages[0]["referrals"]]
    assert len(references) == 3
    assert references[0] == first
    assert references[2] == third


def test_a_listing_that_waits_too_long_answers_503(
    app: Flask, client: FlaskClient, token: str, submit: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    submit("child")
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("only PostgreSQL waits for submissions in flight")
        in_flight = _hold_an_uncommitted_referral(app)
    monkeypatch.setattr(api_module, "LOCK_TIMEOUT", "200ms")
    try:
        response = get(client, token)
    finally:
        in_flight.rollback()
        in_flight.close()
    is_problem(response, 503)
    assert int(response.headers["Retry-After"]) >= 1  # the rate limiter may raise it to its own reset time
    schemathesis.openapi.from_path(SPEC)[LIST]["GET"].validate_response(response)  # as documented
    assert get(client, token).status_code == 200


def test_the_openapi_description_names_every_field_and_status(
    app: Flask, client: FlaskClient, token: str, submit: Callable[[str], str]
) -> None:
    """docs/openapi.yaml is valid OpenAPI 3.1 and keeps up with the intake record and the casework states."""
    schemathesis.openapi.from_path(SPEC).validate()
    schemas = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
    submit("child")
    [listed] = get(client, token).get_json()["referrals"]
    record = schemas["IntakeRecord"]
    extra = schemas["ListedReferral"]["allOf"][1]
    assert set(record["required"]) == set(record["properties"]) == set(listed) - {"status", "acknowledged_at"}
    assert set(extra["required"]) == set(extra["properties"]) == {"status", "acknowledged_at"}
    assert extra["properties"]["status"]["enum"] == list(STATES)


def test_the_acknowledgement_takes_no_body(client: FlaskClient, token: str) -> None:
    response = client.post("/api/v1/referrals/NRM-AAAA-AAAA/acknowledgement", headers=bearer(token), json={"x": 1})
    assert is_problem(response, 400)["detail"] == "The acknowledgement takes no body."


def test_retry_after_only_comes_with_429_and_503(client: FlaskClient, token: str) -> None:
    answered = get(client, token)
    assert answered.status_code == 200
    assert "Retry-After" not in answered.headers
    assert "X-RateLimit-Remaining" in answered.headers
