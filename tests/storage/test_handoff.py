"""The hand-off: each referral reaches the broker once the relay runs, confirmed, and only once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pika
import pytest
from flask import Flask
from sqlalchemy import select

from assistant.extensions import db
from assistant.handoff import Broker, relay_once
from assistant.intake import intake_records
from assistant.storage.models import OutboxMessage
from tests.conftest import Chat
from tests.databases import need_service
from tests.scenarios import ROUTES
from tests.web.chats import complete

BROKER = "amqp://guest:guest@127.0.0.1:5672/%2F"


@pytest.fixture
def queue() -> Iterator[str]:
    need_service(5672, "RabbitMQ")
    name = f"nrm-test-{uuid.uuid4().hex[:8]}"
    yield name
    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    connection.channel().queue_delete(queue=name)
    connection.close()


def drain(queue: str) -> list[tuple[Any, dict[str, Any]]]:
    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    channel = connection.channel()
    messages = []
    while True:
        method, properties, body = channel.basic_get(queue=queue, auto_ack=True)
        if method is None:
            break
        messages.append((properties, json.loads(body)))
    connection.close()
    return messages


def test_a_submitted_referral_is_handed_to_the_broker_once(
    app: Flask, chat: Chat, list_values: dict[str, str], queue: str
) -> None:
    chat.start()
    complete(chat, ROUTES["child"], list_values)
    reference = chat.send("submit")["submitted"]["reference"]
    with app.app_context():
        broker = Broker(BROKER, queue)
        try:
            assert relay_once(broker) == 1
            assert relay_once(broker) == 0
        finally:
            broker.close()
        [record] = intake_records()
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert (message.status, message.attempts) == ("sent", 1)
    [(properties, body)] = drain(queue)
    assert properties.message_id == reference
    assert properties.delivery_mode == 2
    assert body == record


def test_without_a_broker_the_referral_waits_in_the_outbox(
    app: Flask, chat: Chat, list_values: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat.start()
    complete(chat, ROUTES["adult-refusal-not-cooperating"], list_values)
    chat.send("submit")
    monkeypatch.setitem(app.config, "INTAKE_BROKER_URL", "amqp://guest:guest@127.0.0.1:1/%2F")
    result = app.test_cli_runner().invoke(args=["intake", "relay", "--once"])
    assert result.exit_code == 1
    assert "cannot reach the broker" in result.output
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.status == "pending"


def test_relay_once_hands_over_everything_pending_not_one_batch(
    app: Flask, chat: Chat, list_values: dict[str, str], queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat.start()
    complete(chat, ROUTES["adult-refusal-not-cooperating"], list_values)
    chat.send("submit")
    with app.app_context():  # the relay sends messages, not referrals: 120 messages of one referral will do
        [original] = db.session.scalars(select(OutboxMessage)).all()
        db.session.add_all(OutboxMessage(topic=original.topic, referral_id=original.referral_id) for _ in range(119))
        db.session.commit()
    monkeypatch.setitem(app.config, "INTAKE_BROKER_URL", BROKER)
    monkeypatch.setitem(app.config, "INTAKE_QUEUE", queue)
    result = app.test_cli_runner().invoke(args=["intake", "relay", "--once"])
    assert result.exit_code == 0, result.output
    assert "120 referral(s) handed off" in result.output
    with app.app_context():
        assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"sent"}
    assert len(drain(queue)) == 120
