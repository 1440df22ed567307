"""Acknowledged answers survive the server being killed (SIGKILL) in the middle of a conversation.

The client answers as fast as it can; a few moments after its first acknowledgement the server
process is killed, with no chance to flush or clean up. After a restart on the same database, every
conversation is resumed and every answer that was acknowledged must be in its transcript, with the
value given. Bounded: a few kills per database, each after well under a second of answering.
"""

from __future__ import annotations

import itertools
import random
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import socketio

from tests.conftest import first_list_values
from tests.e2e.conftest import Server, create_account, sign_in, socket_headers
from tests.scenarios import ROUTES, group_answer, synthetic_answer

pytestmark = pytest.mark.e2e

KILLS = 5
FIXED = ROUTES["adult-consent-with-support"]  # the longest route: the answering never runs out


@dataclass
class Conversation:
    conversation_id: str
    resume_token: str
    prompt: dict[str, Any] | None
    # question id -> how the transcript must show the acknowledged answer (None: only that it is there)
    acknowledged: dict[str, str | None] = field(default_factory=dict)


class Client:
    """A socket whose calls return None as soon as the connection is lost (the server was killed)."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.socket = socketio.Client(reconnection=False)
        self.pending: threading.Event | None = None
        self.socket.on("disconnect", self._lost)
        self.socket.connect(url, transports=["websocket"], headers=headers, wait_timeout=10)

    def _lost(self, *_reason: Any) -> None:
        if self.pending is not None:
            self.pending.set()

    def call(self, event: str, **payload: Any) -> dict[str, Any] | None:
        answered = threading.Event()
        box: list[dict[str, Any]] = []
        self.pending = answered

        def ack(data: dict[str, Any]) -> None:
            box.append(data)
            answered.set()

        try:
            self.socket.emit(event, payload, callback=ack)
        except socketio.exceptions.SocketIOError:
            return None
        answered.wait(timeout=15)
        return box[0] if box else None

    def close(self) -> None:
        if self.socket.connected:
            self.socket.disconnect()
        elif self.socket.eio.ws is not None:  # engineio leaves it open when the server dies
            self.socket.eio.ws.close()


def answer_for(prompt: dict[str, Any], lists: dict[str, str], serial: int) -> tuple[Any, str | None]:
    """The value to send, and how the transcript shows it (a unique text, or the option's label)."""
    qid, kind = prompt["question_id"], prompt["kind"]
    if kind == "group":  # each field as the route fixes it, or synthetic; shown in the transcript as one line
        return group_answer(prompt, FIXED, lambda field: synthetic_answer(field, lists)), None
    if qid in FIXED:
        value = FIXED[qid]
    elif kind in ("text", "textarea"):
        value = f"Synthetic answer {serial}"
        return value, value
    else:
        value = synthetic_answer(prompt, lists)
    labels = {option["value"]: option["label"] for option in prompt.get("options") or []}
    if kind == "choice" and value in labels:
        return value, labels[value]
    return value, None


def answer_until_lost(client: Client, conversations: list[Conversation], killer: threading.Timer) -> int:
    """Answer (starting conversations as each reaches its review) until the connection is lost."""
    lists = first_list_values()
    acknowledged = 0
    serials = itertools.count(sum(len(c.acknowledged) for c in conversations))
    while True:
        current = conversations[-1] if conversations else None
        if current is None or current.prompt is None:
            turn = client.call("start", flow="nrm", language="en", client_msg_id=str(uuid.uuid4()))
            if turn is None:
                return acknowledged
            assert turn["ok"], turn
            conversations.append(Conversation(turn["conversation_id"], turn["resume_token"], turn["prompt"]))
            continue
        turn = answer_next(client, current, lists, serial=next(serials))
        if turn is None:
            return acknowledged
        assert turn["ok"], turn
        acknowledged += 1
        if acknowledged == 1:
            killer.start()  # the kill lands while answers are in flight


def answer_next(
    client: Client, conversation: Conversation, lists: dict[str, str], serial: int
) -> dict[str, Any] | None:
    """Answer the conversation's prompt; an acknowledged answer is kept as shown, with the next prompt."""
    assert conversation.prompt is not None
    value, shown = answer_for(conversation.prompt, lists, serial)
    qid = conversation.prompt["question_id"]
    turn = client.call(
        "answer",
        conversation_id=conversation.conversation_id,
        question_id=qid,
        value=value,
        client_msg_id=uuid.uuid4().hex,
    )
    if turn is not None and turn["ok"]:
        conversation.acknowledged[qid] = shown
        conversation.prompt = turn.get("prompt")
    return turn


def check_all_there(client: Client, conversations: list[Conversation]) -> None:
    """Every acknowledged answer is in its conversation's transcript, shown as it was given."""
    for conversation in conversations:
        turn = client.call(
            "resume", conversation_id=conversation.conversation_id, resume_token=conversation.resume_token
        )
        assert turn is not None, "resume was not answered"
        assert turn["ok"], turn
        transcript = {item["question_id"]: item["answer"] for item in turn["transcript"]}
        for qid, shown in conversation.acknowledged.items():
            assert qid in transcript, f"the acknowledged answer to {qid} was lost"
            assert shown is None or transcript[qid] == shown, (qid, transcript[qid], shown)
        conversation.prompt = turn.get("prompt")  # an answer in flight at the kill may have been kept


def test_acknowledged_answers_survive_kill_9(migrated: dict[str, str]) -> None:
    env = {**migrated, "EVENTS_PER_MINUTE": "100000"}
    email = create_account(env)
    server: Server | None = Server(env)
    assert server is not None
    web = sign_in(server.url, email)  # one sign-in: the signed cookie stays valid across restarts
    conversations: list[Conversation] = []
    chance = random.Random(9)
    try:
        for _ in range(KILLS):
            client = Client(server.url, socket_headers(web))
            killer = threading.Timer(chance.uniform(0.1, 0.8), server.process.kill)  # SIGKILL
            try:
                assert answer_until_lost(client, conversations, killer) > 0
            finally:
                killer.cancel()
                client.close()
            assert server.process.wait(timeout=10) == -9, server.output()
            killed, server = server, None
            assert "Synthetic answer" not in killed.stop()  # no answer in the log, even of a killed server
            server = Server(env)
            client = Client(server.url, socket_headers(web))
            try:
                check_all_there(client, conversations)
            finally:
                client.close()
    finally:
        web.close()
        if server is not None:
            assert "Synthetic answer" not in server.stop()
    assert sum(len(c.acknowledged) for c in conversations) > KILLS
