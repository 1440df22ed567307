"""Many concurrent conversations with a think time, against a real server, beside an echo baseline.

    .venv/bin/python bench/concurrency.py --conversations 500 [--think 10] [--ramp 30] [--duration 90]
        [--database sqlite|postgresql] [--only turn|echo] [--processes 2]

Two phases in one run, each on its own throw-away database and the same load:
- ``echo``: bench/echo_server.py, a bare Flask-SocketIO server that commits one row per event;
- ``turn``: `python -m assistant.serve` (what `make run` starts): N first responders' connections,
  signed in through the sign-in page (a few accounts, each session shared by many connections, as
  tabs share a cookie), each starting a referral and answering its questions, one answer every
  ``--think`` seconds; a conversation that reaches the review starts a new referral.

Connections open evenly over ``--ramp`` seconds, each answering at its own phase of the think time;
latencies are counted from the end of the ramp to the end of ``--duration``. Prints turns/s,
acknowledgement p50/p95/p99, errors (error acks, timeouts, lost connections), the server's CPU time
per event, and its resident memory before the connections and at the end, divided by N. One
asyncio process (python-socketio's AsyncClient) holds every connection. Bounded by ``--duration``.

``--processes 2`` runs the turn phase on `make serve`'s configuration: that many server processes
on consecutive ports sharing the Redis message queue (``--redis``); each connection goes to one of
them in turn over WebSocket, as a sticky proxy would keep it there. CPU and memory are the servers'
sums (the supervising parent, which serves nothing, is left out). A large ``--think`` (longer than
the run) measures idle connections: memory only. ``--deflate`` makes each connection offer WebSocket
compression (permessage-deflate) as browsers do; without it the clients do not, unlike a browser.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import first_list_values
from tests.databases import throwaway_database
from tests.e2e.conftest import (
    Server,
    create_account,
    flask_cli,
    free_port,
    server_env,
    sign_in,
    socket_headers,
    wait_until_up,
)
from tests.scenarios import synthetic_answer

ROOT = Path(__file__).resolve().parent.parent
CALL_TIMEOUT = 30.0


@dataclass
class Tally:
    measure_from: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    connected: int = 0

    def record(self, sent: float, latency: float | None, error: str | None) -> None:
        if sent < self.measure_from:
            return
        if error is None and latency is not None:
            self.latencies.append(latency)
        else:
            self.errors[error or "unknown"] = self.errors.get(error or "unknown", 0) + 1


class EchoServer:
    """bench/echo_server.py on a free port, started as the assistant's server is."""

    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "echo_server.py")],
            env={**os.environ, "DATABASE_URL": database_url, "PORT": str(self.port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(self.url, self.process, seconds=60)
        except RuntimeError:
            self.process.kill()
            raise

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def server_pids(pid: int) -> list[int]:
    """The processes that serve: the children of a multi-process parent, else the process itself."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children] or [pid]


def rss_kib(pid: int) -> int:
    return sum(_rss_kib(one) for one in server_pids(pid))


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    return sum(_cpu_seconds(one) for one in server_pids(pid))


def own_cpu_seconds() -> float:
    """The load generator's own CPU time: it shares the cores with the servers."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def timed_call(client: socketio.AsyncClient, tally: Tally, event: str, payload: dict[str, Any]) -> Any:
    sent = time.monotonic()
    try:
        ack = await client.call(event, payload, timeout=CALL_TIMEOUT)
    except socketio.exceptions.TimeoutError:
        tally.record(sent, None, "timeout")
        return None
    except socketio.exceptions.SocketIOError:
        tally.record(sent, None, "lost")
        return None
    if not isinstance(ack, dict) or not ack.get("ok"):
        code = ack.get("error", {}).get("code", "bad_ack") if isinstance(ack, dict) else "bad_ack"
        tally.record(sent, None, code)
        return None
    tally.record(sent, time.monotonic() - sent, None)
    return ack


async def one_conversation(
    mode: str,
    url: str,
    headers: dict[str, str],
    opens_at: float,
    ends_at: float,
    think: float,
    tally: Tally,
    lists: dict[str, str],
    deflate: bool = False,
) -> None:
    await asyncio.sleep(max(0.0, opens_at - time.monotonic()))
    # --deflate: offer permessage-deflate, as browsers do (aiohttp's client does not by default)
    client = socketio.AsyncClient(reconnection=False, websocket_extra_options={"compress": 15} if deflate else {})
    try:
        # a copy: the client deletes the Cookie header from the dict it is given
        await client.connect(url, transports=["websocket"], headers=dict(headers), wait_timeout=CALL_TIMEOUT)
    except (TimeoutError, socketio.exceptions.ConnectionError):
        tally.errors["connect"] = tally.errors.get("connect", 0) + 1
        return
    tally.connected += 1
    conversation_id, prompt = "", None
    next_at = time.monotonic() + random.uniform(0, think)  # each at its own phase of the think time
    try:
        while True:
            await asyncio.sleep(max(0.0, min(next_at, ends_at) - time.monotonic()))  # idle ones end too
            if time.monotonic() >= ends_at or not client.connected:
                break
            next_at += think
            if mode == "echo":
                await timed_call(client, tally, "echo", {"value": uuid.uuid4().hex, "client_msg_id": uuid.uuid4().hex})
            elif prompt is None:  # a new referral: start is a turn too
                ack = await timed_call(client, tally, "start", {"flow": "nrm", "language": "en"})
                if ack:
                    conversation_id, prompt = ack["conversation_id"], ack["prompt"]
            else:
                payload = {
                    "conversation_id": conversation_id,
                    "question_id": prompt["question_id"],
                    "value": synthetic_answer(prompt, lists),
                    "client_msg_id": uuid.uuid4().hex,
                }
                ack = await timed_call(client, tally, "answer", payload)
                if ack:
                    prompt = ack.get("prompt")  # None at the review: start another referral
    finally:
        await client.disconnect()


async def drive(mode: str, urls: list[str], sessions: list[dict[str, str]], args: argparse.Namespace, pid: int) -> dict:
    tally = Tally()
    lists = first_list_values()  # read once: the files are large, and reading blocks the loop
    began = time.monotonic()
    tally.measure_from = began + args.ramp
    ends_at = tally.measure_from + args.duration
    rss_before, cpu_at = rss_kib(pid), 0.0
    tasks = [
        asyncio.create_task(
            one_conversation(
                mode,
                urls[index % len(urls)],
                sessions[index % len(sessions)],
                began + args.ramp * index / args.conversations,
                ends_at,
                args.think,
                tally,
                lists,
                args.deflate,
            )
        )
        for index in range(args.conversations)
    ]
    await asyncio.sleep(max(0.0, tally.measure_from - time.monotonic()))
    cpu_at, own_at = cpu_seconds(pid), own_cpu_seconds()
    load_at_start = os.getloadavg()[0]
    await asyncio.sleep(max(0.0, ends_at - time.monotonic()))
    cpu_used, own_used = cpu_seconds(pid) - cpu_at, own_cpu_seconds() - own_at
    rss_after = rss_kib(pid)  # every connection still open
    load = os.getloadavg()
    for outcome in await asyncio.gather(*tasks, return_exceptions=True):
        if outcome is not None:
            print("task", repr(outcome))
    return {
        "tally": tally,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "cpu": cpu_used,
        "generator_cpu": own_used,
        "load": (load_at_start, load[0]),
    }


def report(mode: str, database: str, args: argparse.Namespace, result: dict) -> None:
    tally: Tally = result["tally"]
    values = sorted(tally.latencies)
    count = len(values)
    q = statistics.quantiles(values, n=100) if count > 1 else (values or [0.0]) * 99
    errors = sum(tally.errors.values())
    per_kib = (result["rss_after"] - result["rss_before"]) / max(1, args.conversations)
    cpu_ms = result["cpu"] * 1000 / max(1, count)
    generator_ms = result["generator_cpu"] * 1000 / max(1, count)
    print(
        f"| {mode} | {database} | {args.processes if mode == 'turn' else 1} | {args.conversations} "
        f"| {tally.connected} | {count / args.duration:.1f} "
        f"| {q[49] * 1000:.1f} | {q[94] * 1000:.1f} | {q[98] * 1000:.1f} | {errors} "
        f"| {cpu_ms:.2f} | {generator_ms:.2f} "
        f"| {result['rss_before'] // 1024} → {result['rss_after'] // 1024} MiB ({per_kib:.0f} KiB) "
        f"| {result['load'][0]:.1f} to {result['load'][1]:.1f} |",
        flush=True,
    )
    if tally.errors:
        print(f"  errors: {tally.errors}", flush=True)


def run_echo(args: argparse.Namespace, folder: Path) -> dict:
    with throwaway_database(args.database, folder) as url:
        server = EchoServer(url)
        try:
            sessions = [{}]
            return asyncio.run(drive("echo", [server.url], sessions, args, server.process.pid))
        finally:
            server.stop()


def run_turns(args: argparse.Namespace, folder: Path) -> dict:
    with throwaway_database(args.database, folder) as url:
        env = server_env(url)
        flask_cli(env, "db", "upgrade")
        emails = [create_account(env) for _ in range(args.accounts)]
        if args.processes > 1:
            env.update(PROCESSES=str(args.processes), SOCKETIO_MESSAGE_QUEUE=args.redis)
        server = Server(env)
        try:
            urls = [f"http://127.0.0.1:{server.port + index}" for index in range(args.processes)]
            for one in urls[1:]:
                wait_until_up(one)
            sessions = [socket_headers(sign_in(server.url, email)) for email in emails]
            return asyncio.run(drive("turn", urls, sessions, args, server.process.pid))
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--think", type=float, default=10.0, help="seconds between one conversation's events")
    parser.add_argument("--ramp", type=float, default=30.0, help="seconds over which the connections open")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured after the ramp")
    parser.add_argument("--accounts", type=int, default=2, help="first responders whose sessions are shared")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--only", choices=["turn", "echo"])
    parser.add_argument("--processes", type=int, default=1, help="server processes for the turn phase")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="message queue when --processes > 1")
    parser.add_argument("--deflate", action="store_true", help="offer permessage-deflate, as a browser does")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket per conversation, server and client
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print(
        "| server | database | processes | conversations | connected | events/s | p50 ms | p95 ms | p99 ms | errors "
        "| server CPU ms/event | load generator CPU ms/event | server RSS (per conversation) | load average |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "echo"):
            report("echo", args.database, args, run_echo(args, Path(folder)))
        if args.only in (None, "turn"):
            report("turn", args.database, args, run_turns(args, Path(folder)))


if __name__ == "__main__":
    main()
