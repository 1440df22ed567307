"""`make serve`'s configuration: several server processes on one database, writing at the same time.

Four clients, two on each process, answer their own referrals as fast as they can; every answer must be
acknowledged, and every acknowledged answer must be in its transcript when resumed on the other process.
On SQLite the processes share one file and take turns at its write lock (assistant/storage/writer_lock.py).
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest

from tests.conftest import first_list_values
from tests.databases import need_service
from tests.e2e.conftest import REDIS, Server, create_account, sign_in, socket_headers, wait_until_up
from tests.e2e.test_durability import Client, Conversation, answer_next, check_all_there

pytestmark = pytest.mark.e2e

ANSWERS = 25  # each client's, a few seconds of writing at once


def answer_quickly(client: Client, conversation: Conversation, lists: dict[str, str], failures: list[Any]) -> None:
    for serial in range(ANSWERS):
        turn = answer_next(client, conversation, lists, serial)
        if turn is None or not turn["ok"]:
            failures.append(turn)
            return


def test_two_processes_write_at_once_and_lose_nothing(migrated: dict[str, str]) -> None:
    need_service(6379, "Redis")
    env = {**migrated, "PROCESSES": "2", "SOCKETIO_MESSAGE_QUEUE": REDIS, "EVENTS_PER_MINUTE": "100000"}
    server = Server(env)
    other_url = f"http://127.0.0.1:{server.port + 1}"
    try:
        wait_until_up(other_url)
        web = sign_in(server.url, create_account(env))
        headers = socket_headers(web)
        clients = [Client(url, headers) for url in (server.url, other_url, server.url, other_url)]
        conversations = []
        for client in clients:
            turn = client.call("start", flow="nrm", language="en", client_msg_id=uuid.uuid4().hex)
            assert turn is not None
            assert turn["ok"], turn
            conversations.append(Conversation(turn["conversation_id"], turn["resume_token"], turn["prompt"]))
        lists = first_list_values()
        failures: list[Any] = []
        threads = [
            threading.Thread(target=answer_quickly, args=(client, conversation, lists, failures))
            for client, conversation in zip(clients, conversations, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert failures == []
        assert all(len(c.acknowledged) == ANSWERS for c in conversations)
        # each read back through the process it was not written on
        check_all_there(clients[1], conversations[0::2])
        check_all_there(clients[0], conversations[1::2])
        for client in clients:
            client.close()
        web.close()
    finally:
        assert "Synthetic answer" not in server.stop()
