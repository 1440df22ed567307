"""Turn latency over loopback: N clients each complete whole NRM referrals against a real server.

    .venv/bin/python bench/turns.py [--clients 10] [--referrals 2] [--database sqlite|postgresql]

Starts `python -m assistant.serve` on a throw-away database, drives it with the python-socketio
client (as an independent client would), and prints acknowledgement round-trip times per event,
plus the server's peak resident memory. Bounded: it stops after the given number of referrals.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import first_list_values
from tests.databases import throwaway_database
from tests.e2e.conftest import Server, create_account, flask_cli, server_env, sign_in, socket_headers
from tests.scenarios import ROUTES, run, synthetic_answer


def client_run(
    url: str, headers: dict[str, str], referrals: int, timings: dict[str, list[float]], lock: threading.Lock
) -> None:
    lists = first_list_values()
    client = socketio.Client(reconnection=False)
    client.connect(url, transports=["websocket"], headers=headers, wait_timeout=10)

    def timed(event: str, payload: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        ack = client.call(event, payload, timeout=30)
        with lock:
            timings.setdefault(event, []).append(time.perf_counter() - started)
        return ack

    for index in range(referrals):
        route = sorted(ROUTES)[index % len(ROUTES)]
        turn = timed("start", {"flow": "nrm", "language": "en"})
        cid = turn["conversation_id"]

        def step(qid: str, value: Any, cid: str = cid) -> dict[str, Any] | None:
            ack = timed(
                "answer",
                {"conversation_id": cid, "question_id": qid, "value": value, "client_msg_id": uuid.uuid4().hex},
            )
            return ack.get("prompt")

        run(step, turn["prompt"], ROUTES[route], answer=lambda p: synthetic_answer(p, lists))
        timed("back", {"conversation_id": cid, "client_msg_id": uuid.uuid4().hex})
        timed("lookup", {"list": "uk-towns", "query": "ba"})
        timed("submit", {"conversation_id": cid, "client_msg_id": uuid.uuid4().hex})
    client.disconnect()


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--referrals", type=int, default=2, help="whole referrals per client")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, throwaway_database(args.database, Path(folder)) as url:
        env = server_env(url)
        flask_cli(env, "db", "upgrade")
        emails = [create_account(env) for _ in range(args.clients)]  # a first responder each, signed in
        server = Server(env)
        timings: dict[str, list[float]] = {}
        lock = threading.Lock()
        started = time.perf_counter()
        try:
            sessions = [socket_headers(sign_in(server.url, email)) for email in emails]
            started = time.perf_counter()  # the clock starts once everyone is signed in
            threads = [
                threading.Thread(target=client_run, args=(server.url, headers, args.referrals, timings, lock))
                for headers in sessions
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            rss = peak_rss_kib(server.process.pid)
        finally:
            server.stop()
        elapsed = time.perf_counter() - started
    events = sum(len(v) for v in timings.values())
    print(
        f"database={args.database} clients={args.clients} referrals={args.clients * args.referrals} "
        f"events={events} in {elapsed:.1f}s ({events / elapsed:.0f} events/s); server peak RSS {rss // 1024} MiB"
    )
    print("| event | count | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for event, values in sorted(timings.items()):
        values.sort()
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(
            f"| {event} | {len(values)} | {q[49] * 1000:.1f} | {q[94] * 1000:.1f} | {q[98] * 1000:.1f} "
            f"| {values[-1] * 1000:.1f} |"
        )


if __name__ == "__main__":
    main()
