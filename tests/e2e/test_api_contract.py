"""The intake API against docs/openapi.yaml: schemathesis drives a real server on loopback.

Every response is checked against the description: its status code is one documented for the
operation, its content type and headers are the documented ones, and its body fits the schema.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
import socketio
from hypothesis import HealthCheck, settings

from tests.conftest import first_list_values
from tests.databases import throwaway_database
from tests.e2e.conftest import ROOT, Server, create_account, flask_cli, server_env, sign_in, socket_headers
from tests.scenarios import ROUTES, run, synthetic_answer

pytestmark = pytest.mark.e2e
SPEC = ROOT / "docs" / "openapi.yaml"
LIST, ACKNOWLEDGE = "/api/v1/referrals", "/api/v1/referrals/{reference}/acknowledgement"


def submit_referrals(server: Server, env: dict[str, str], routes: list[str]) -> list[str]:
    """A first responder signs in and completes referrals over Socket.IO; returns their references."""
    lists = first_list_values()
    client = socketio.Client(reconnection=False)
    client.connect(
        server.url,
        transports=["websocket"],
        headers=socket_headers(sign_in(server.url, create_account(env))),
        wait_timeout=10,
    )
    references = []
    try:
        for route in routes:
            turn = client.call(
                "start", {"flow": "nrm", "language": "en", "client_msg_id": str(uuid.uuid4())}, timeout=10
            )
            conversation_id = turn["conversation_id"]

            def step(question_id: str, value: Any, conversation_id: str = conversation_id) -> dict[str, Any] | None:
                answered = client.call(
                    "answer",
                    {
                        "conversation_id": conversation_id,
                        "question_id": question_id,
                        "value": value,
                        "client_msg_id": str(uuid.uuid4()),
                    },
                    timeout=10,
                )
                assert answered["ok"], answered
                return answered.get("prompt")

            run(step, turn["prompt"], ROUTES[route], answer=lambda prompt: synthetic_answer(prompt, lists))
            receipt = client.call(
                "submit", {"conversation_id": conversation_id, "client_msg_id": str(uuid.uuid4())}, timeout=10
            )
            references.append(str(receipt["submitted"]["reference"]))
    finally:
        client.disconnect()
    return references


@dataclass
class Api:
    url: str
    token: str
    references: list[str]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One server per database for the module, with an API client made with the CLI, as an
    administrator would (the token is the only line on stdout), and two referrals submitted."""
    with throwaway_database(request.param, tmp_path_factory.mktemp("api")) as database_url:
        env = server_env(database_url, EVENTS_PER_MINUTE="100000")  # two referrals in a few seconds
        flask_cli(env, "db", "upgrade")
        token = flask_cli(env, "api-clients", "create", "--name", "contract-test").stdout.strip()
        server = Server(env)
        try:
            references = submit_referrals(server, env, ["child", "adult-refusal-not-cooperating"])
            yield Api(server.url, token, references)
        finally:
            server.stop()


schema = schemathesis.openapi.from_path(SPEC)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_every_answer_conforms_to_the_openapi_description(case: Any, api: Api) -> None:
    """Generated requests, valid and not, each answered as documented (all of schemathesis's checks)."""
    case.call_and_validate(base_url=api.url, headers=api.auth)


def test_polling_and_acknowledging_real_referrals_conform(api: Api) -> None:
    """The documented way to poll: follow next_cursor, acknowledge, and see only what is left."""
    listing, acknowledging = schema[LIST]["GET"], schema[ACKNOWLEDGE]["POST"]
    auth, references = api.auth, api.references

    def page(**query: Any) -> dict[str, Any]:
        response = listing.Case(query=query, headers=auth).call_and_validate(base_url=api.url)
        assert response.status_code == 200
        return dict(response.json())

    seen: list[str] = []
    cursor = page(limit=1)["next_cursor"]
    seen.append(page(limit=200)["referrals"][0]["reference"])
    while True:
        body = page(after=cursor, limit=1)
        if not body["referrals"]:
            assert body["next_cursor"] == cursor
            break
        seen += [referral["reference"] for referral in body["referrals"]]
        cursor = body["next_cursor"]
    assert seen == references

    first = acknowledging.Case(path_parameters={"reference": references[0]}, headers=auth)
    acknowledged = first.call_and_validate(base_url=api.url).json()
    assert first.call_and_validate(base_url=api.url).json() == acknowledged
    remaining = page(unacknowledged="true")["referrals"]
    assert [referral["reference"] for referral in remaining] == references[1:]
    unknown = acknowledging.Case(path_parameters={"reference": "NRM-AAAA-AAAA"}, headers=auth)
    assert unknown.call_and_validate(base_url=api.url).status_code == 404
