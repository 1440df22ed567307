"""A real server on loopback, driven by the python-socketio client as an independent client would."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
import uuid
from typing import Any

import pytest
import requests
import socketio

from assistant.references import is_valid_reference
from tests.conftest import first_list_values
from tests.databases import need_service
from tests.e2e.conftest import REDIS, Server, create_account, flask_cli, server_env, sign_in, socket_headers
from tests.scenarios import ROUTES, run, synthetic_answer

pytestmark = pytest.mark.e2e


def connect(url: str, headers: dict[str, str], transport: str = "websocket") -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(url, transports=[transport], headers=headers, wait_timeout=10)
    return client


def call(client: socketio.Client, event: str, **payload: Any) -> dict[str, Any]:
    ack = client.call(event, payload, timeout=10)
    assert isinstance(ack, dict)
    return ack


def test_a_duty_to_notify_report_end_to_end(server: Server, migrated: dict[str, str]) -> None:
    lists = first_list_values()
    headers = socket_headers(sign_in(server.url, create_account(migrated)))
    client = connect(server.url, headers)
    turn = call(client, "start", flow="nrm", language="en", client_msg_id=str(uuid.uuid4()))
    conversation_id, token = turn["conversation_id"], turn["resume_token"]

    def step(question_id: str, value: Any) -> dict[str, Any] | None:
        nonlocal turn
        turn = call(
            client,
            "answer",
            conversation_id=conversation_id,
            question_id=question_id,
            value=value,
            client_msg_id=str(uuid.uuid4()),
        )
        assert turn["ok"], turn
        return turn.get("prompt")

    run(step, turn["prompt"], ROUTES["adult-refusal-not-cooperating"], answer=lambda p: synthetic_answer(p, lists))
    assert "review" in turn
    client.disconnect()

    # a phone that lost its connection comes back over long-polling and resumes
    again = connect(server.url, headers, transport="polling")
    resumed = call(again, "resume", conversation_id=conversation_id, resume_token=token)
    # the same review, whole: the lean one left out the question texts that connection was given
    assert _without_texts(resumed["review"]) == _without_texts(turn["review"])
    assert all(item["question"] for section in resumed["review"]["sections"] for item in section["items"])
    assert resumed["transcript"][0]["question_id"] == "reference"
    receipt = call(again, "submit", conversation_id=conversation_id, client_msg_id="submit")["submitted"]
    assert receipt["kind"] == "dtn"
    assert is_valid_reference(receipt["reference"])
    again.disconnect()

    records = json.loads(flask_cli(migrated, "intake", "list", "--json").stdout)
    assert [r["reference"] for r in records] == [receipt["reference"]]
    assert records[0]["answers"]["pv-want-to-submit-nrm"] == "no"
    assert "pv-name-first-name" not in records[0]["answers"]


def test_without_signing_in_there_is_no_chat(server: Server) -> None:
    refused: list[Any] = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", refused.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, transports=["polling"], wait_timeout=10)
    # the CONNECT_ERROR packet, as docs/protocol.md says (socket.io-client: err.message and err.data)
    assert refused == [{"message": "sign_in_required", "data": {"code": "sign_in_required"}}]
    page = requests.get(f"{server.url}/", allow_redirects=False, timeout=10)
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/sign-in")


def test_the_chat_page_is_served_with_strict_headers(server: Server, migrated: dict[str, str]) -> None:
    response = sign_in(server.url, create_account(migrated)).get(f"{server.url}/", timeout=10)
    headers, page = response.headers, response.text
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    script_url = re.search(r'src="(/static/[0-9a-f]{12}/bundle/main\.js)"', page)
    assert script_url, "the page does not link the chat's script by a versioned address"
    with urllib.request.urlopen(f"{server.url}{script_url.group(1)}") as script:
        assert script.status == 200
        assert "immutable" in script.headers["Cache-Control"]


def _without_texts(review: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return [[{k: v for k, v in item.items() if k != "question"} for item in s["items"]] for s in review["sections"]]


def test_a_cross_origin_connection_is_refused(server: Server) -> None:
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, transports=["polling"], headers={"Origin": "http://evil.example"}, wait_timeout=5)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_share_conversations_through_the_database_and_redis(migrated: dict[str, str]) -> None:
    need_service(6379, "Redis")
    env = {**migrated, "SOCKETIO_MESSAGE_QUEUE": REDIS, "RATELIMIT_STORAGE_URI": REDIS}
    first, second = Server(env), Server(env)
    try:
        headers = socket_headers(sign_in(first.url, create_account(env)))
        a = connect(first.url, headers)
        turn = call(a, "start", flow="nrm", language="en")
        call(
            a,
            "answer",
            conversation_id=turn["conversation_id"],
            question_id="reference",
            value="CASE-9",
            client_msg_id="m1",
        )
        a.disconnect()
        b = connect(second.url, headers)  # the same session, signed in on the other worker
        resumed = call(b, "resume", conversation_id=turn["conversation_id"], resume_token=turn["resume_token"])
        assert resumed["prompt"]["question_id"] == "about-your-work"
        assert resumed["transcript"][0]["answer"] == "CASE-9"
        b.disconnect()
    finally:
        first.stop()
        second.stop()


def test_production_refuses_to_start_without_secrets(tmp_path: Any) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'p.db'}", ASSISTANT_ENV="production")
    del env["SECRET_KEY"]
    with pytest.raises(subprocess.CalledProcessError) as failed:
        flask_cli(env, "flows", "check")
    assert "refusing to start: set SECRET_KEY" in failed.value.stderr
