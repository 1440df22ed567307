"""The hand-off to the central unit's broker: a relay that sends the outbox to RabbitMQ.

Submitting writes the referral and its outbox message in one transaction; this relay, run as its
own process (`flask intake relay`), publishes each intake record as persistent JSON with publisher
confirms and marks it sent only once the broker has confirmed it. A failure backs off and retries.
Delivery is at least once: the AMQP ``message_id`` is the referral's reference, for de-duplication.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from typing import Any

import pika
from pika.exceptions import AMQPError

from .extensions import db
from .intake import intake_record
from .storage import store
from .storage.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)
TOPIC = "referral.submitted"
MAX_BACKOFF = dt.timedelta(minutes=15)


class Broker:
    """A confirmed-publish channel to a durable queue on a RabbitMQ broker."""

    def __init__(self, url: str, queue: str) -> None:
        self.queue = queue
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.queue_declare(queue=queue, durable=True)
        self.channel.confirm_delivery()

    def publish(self, message_id: str, body: dict[str, Any]) -> None:
        self.channel.basic_publish(
            exchange="",
            routing_key=self.queue,
            body=json.dumps(body, ensure_ascii=False).encode(),
            properties=pika.BasicProperties(
                content_type="application/json",
                delivery_mode=pika.DeliveryMode.Persistent,
                message_id=message_id,
                type=TOPIC,
            ),
            mandatory=True,
        )

    def close(self) -> None:
        if self.connection.is_open:
            self.connection.close()


def enqueue(referral_id: int) -> None:
    """Queue the hand-off of a referral (added to the session: the caller's commit makes it durable)."""
    db.session.add(OutboxMessage(topic=TOPIC, referral_id=referral_id))


def relay_once(broker: Broker, batch: int = 50) -> int:
    """Send every due message once, a batch at a time until none is left; return how many the broker
    confirmed."""
    sent = 0
    while confirmed := _relay_batch(broker, batch):
        sent += confirmed
    return sent


def _relay_batch(broker: Broker, batch: int) -> int:
    """Send up to ``batch`` due messages, each marked sent once confirmed; return how many."""
    now = utcnow()
    sent = 0
    for message in store.due_outbox(db.session, now, batch):
        message.attempts += 1
        try:
            broker.publish(message.referral.reference, intake_record(message.referral))
        except AMQPError as error:
            backoff = min(dt.timedelta(seconds=2 ** min(message.attempts, 10)), MAX_BACKOFF)
            message.next_attempt_at = now + backoff
            message.last_error = type(error).__name__
            db.session.commit()
            log.warning("hand-off failed, retrying in %ss: %s", int(backoff.total_seconds()), type(error).__name__)
            raise
        message.status, message.sent_at, message.last_error = "sent", utcnow(), None
        sent += 1
    db.session.commit()
    return sent


def relay_forever(url: str, queue: str, interval: float = 2.0) -> None:
    """Run the relay until stopped, reconnecting to the broker when it goes away."""
    while True:
        try:
            broker = Broker(url, queue)
        except AMQPError as error:
            log.warning("broker unreachable (%s); retrying", type(error).__name__)
            time.sleep(interval * 5)
            continue
        try:
            while True:
                if relay_once(broker):
                    log.info("handed off referrals to the broker")
                time.sleep(interval)
        except AMQPError as error:
            log.warning("broker connection lost (%s); reconnecting", type(error).__name__)
        finally:
            broker.close()
