"""Many concurrent conversations with a think time, against a real server, beside an echo baseline.

    .venv/bin/python bench/concurrency.py --conversations 500 [--think 10] [--ramp 30] [--duration 90]
        [--database sqlite|postgresql] [--only turn|echo] [--processes 2]
        [--rates 100,150,200 [--settle 5] [--p95-limit 250]]

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
``--spread`` makes each conversation leave its first referral after a random number of answers (1 to
40) and start another, so that the conversations, which all open within the ramp and answer at one
rate, are spread along the referral instead of reaching their reviews, its costliest answer, together.

``--rates`` measures capacity instead, in steps of offered events per second on one server start
(each phase): the connections open once, over the ramp; then each step sets the think time to N / rate
(``--think`` is not used; a turn's connection may send 120 events a minute, so keep N / rate above
0.5 s), lets the load settle for ``--settle`` seconds and measures ``--duration`` seconds. The load is
open-loop: each conversation sends on its own clock, each event as its own task, without waiting for
the previous acknowledgement; a conversation has one event in flight at most (it can only answer the
prompt it has), so an event due while its previous one is unacknowledged is not sent and is counted
as late. Prints a row per step (offered and acknowledged events/s, p50/p95/p99, errors, late, server
CPU per acknowledged event, the load generator's CPU per acknowledged event, load average), then the
capacity: the highest step acknowledging at least 98 % of its offered rate with p95 at most
``--p95-limit`` ms and no error. Without ``--rates`` a conversation waits for each acknowledgement
before its next event (sent at once if it is already due).
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
from pathlib import Path
from typing import Any

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_schedule import Schedule, Tally, make_schedule
from bench.process_usage import cpu_seconds, own_cpu_seconds, rss_kib
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
REFERRAL_ANSWERS = 40  # about as many answers as the synthetic referral takes to its review


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


async def timed_call(client: socketio.AsyncClient, schedule: Schedule, event: str, payload: dict[str, Any]) -> Any:
    sent = time.monotonic()
    try:
        ack = await client.call(event, payload, timeout=CALL_TIMEOUT)
    except socketio.exceptions.TimeoutError:
        schedule.record(sent, None, "timeout")
        return None
    except socketio.exceptions.SocketIOError:
        schedule.record(sent, None, "lost")
        return None
    if not isinstance(ack, dict) or not ack.get("ok"):
        code = ack.get("error", {}).get("code", "bad_ack") if isinstance(ack, dict) else "bad_ack"
        schedule.record(sent, None, code)
        return None
    schedule.record(sent, time.monotonic() - sent, None)
    return ack


class Conversation:
    """What one connection sends next: an echo; or the start of a referral, then the answer to its prompt."""

    def __init__(
        self, mode: str, client: socketio.AsyncClient, schedule: Schedule, lists: dict[str, str], spread: bool
    ) -> None:
        self.mode, self.client, self.schedule, self.lists = mode, client, schedule, lists
        self.conversation_id, self.prompt = "", None
        # --spread: the first referral is left after a random number of answers, so that the
        # conversations do not all reach their reviews (the costliest answer) in the same seconds
        self.leave_after = random.randint(1, REFERRAL_ANSWERS) if spread else 0

    async def send(self) -> None:
        if self.mode == "echo":
            payload = {"value": uuid.uuid4().hex, "client_msg_id": uuid.uuid4().hex}
            await timed_call(self.client, self.schedule, "echo", payload)
        elif self.prompt is None:  # a new referral: start is a turn too
            ack = await timed_call(self.client, self.schedule, "start", {"flow": "nrm", "language": "en"})
            if ack:
                self.conversation_id, self.prompt = ack["conversation_id"], ack["prompt"]
        else:
            payload = {
                "conversation_id": self.conversation_id,
                "question_id": self.prompt["question_id"],
                "value": synthetic_answer(self.prompt, self.lists),
                "client_msg_id": uuid.uuid4().hex,
            }
            ack = await timed_call(self.client, self.schedule, "answer", payload)
            if ack:
                self.prompt = ack.get("prompt")  # None at the review: start another referral
            self.leave_after -= 1
            if self.leave_after == 0:
                self.prompt = None


async def one_conversation(
    mode: str,
    url: str,
    headers: dict[str, str],
    opens_at: float,
    schedule: Schedule,
    lists: dict[str, str],
    open_loop: bool,
    deflate: bool = False,
    spread: bool = False,
) -> None:
    await asyncio.sleep(max(0.0, opens_at - time.monotonic()))
    # --deflate: offer permessage-deflate, as browsers do (aiohttp's client does not by default)
    client = socketio.AsyncClient(reconnection=False, websocket_extra_options={"compress": 15} if deflate else {})
    try:
        # a copy: the client deletes the Cookie header from the dict it is given
        await client.connect(url, transports=["websocket"], headers=dict(headers), wait_timeout=CALL_TIMEOUT)
    except (TimeoutError, socketio.exceptions.ConnectionError):
        errors = schedule.steps[0].tally.errors
        errors["connect"] = errors.get("connect", 0) + 1
        return
    schedule.connected += 1
    conversation = Conversation(mode, client, schedule, lists, spread)
    phase = random.random()  # each at its own phase of the think time
    due = time.monotonic() + phase * schedule.step_at(time.monotonic()).think
    pending: asyncio.Task[None] | None = None
    try:
        while True:
            await asyncio.sleep(max(0.0, min(due, schedule.ends_at) - time.monotonic()))  # idle ones end too
            if time.monotonic() >= schedule.ends_at or not client.connected:
                break
            if not open_loop:
                await conversation.send()
            elif pending is None or pending.done():
                if pending is not None:
                    pending.result()  # an unexpected failure ends the conversation, as without --rates
                pending = asyncio.create_task(conversation.send())
            else:  # its previous event is unacknowledged: it has no prompt to answer yet
                schedule.count_late(due)
            due = schedule.next_due(due, phase)
        if pending is not None:
            await pending
    finally:
        await client.disconnect()


async def drive(mode: str, urls: list[str], sessions: list[dict[str, str]], args: argparse.Namespace, pid: int) -> dict:
    lists = first_list_values()  # read once: the files are large, and reading blocks the loop
    began = time.monotonic()
    schedule = make_schedule(args, began + args.ramp)
    rss_before = rss_kib(pid)
    tasks = [
        asyncio.create_task(
            one_conversation(
                mode,
                urls[index % len(urls)],
                sessions[index % len(sessions)],
                began + args.ramp * index / args.conversations,
                schedule,
                lists,
                bool(args.rates),
                args.deflate,
                args.spread,
            )
        )
        for index in range(args.conversations)
    ]
    measured = []
    for step in schedule.steps:
        await asyncio.sleep(max(0.0, step.tally.measure_from - time.monotonic()))
        cpu_at, own_at = cpu_seconds(pid), own_cpu_seconds()
        load_at_start = os.getloadavg()[0]
        await asyncio.sleep(max(0.0, step.tally.measure_to - time.monotonic()))
        cpu_used, own_used = cpu_seconds(pid) - cpu_at, own_cpu_seconds() - own_at
        load = os.getloadavg()[0]
        measured.append({"step": step, "cpu": cpu_used, "generator_cpu": own_used, "load": (load_at_start, load)})
    rss_after = rss_kib(pid)  # every connection still open
    for outcome in await asyncio.gather(*tasks, return_exceptions=True):
        if outcome is not None:
            print("task", repr(outcome))
    return {"connected": schedule.connected, "rss_before": rss_before, "rss_after": rss_after, "steps": measured}


def summary(measured: dict) -> tuple[int, list[float], int, float, float]:
    """A step's acknowledged events, their percentiles (s), errors, and server and generator CPU ms per event."""
    tally: Tally = measured["step"].tally
    values = sorted(tally.latencies)
    count = len(values)
    q = statistics.quantiles(values, n=100) if count > 1 else (values or [0.0]) * 99
    cpu_ms = measured["cpu"] * 1000 / max(1, count)
    generator_ms = measured["generator_cpu"] * 1000 / max(1, count)
    return count, q, sum(tally.errors.values()), cpu_ms, generator_ms


def report(mode: str, database: str, args: argparse.Namespace, result: dict) -> None:
    measured = result["steps"][0]
    tally: Tally = measured["step"].tally
    count, q, errors, cpu_ms, generator_ms = summary(measured)
    per_kib = (result["rss_after"] - result["rss_before"]) / max(1, args.conversations)
    print(
        f"| {mode} | {database} | {args.processes if mode == 'turn' else 1} | {args.conversations} "
        f"| {result['connected']} | {count / args.duration:.1f} "
        f"| {q[49] * 1000:.1f} | {q[94] * 1000:.1f} | {q[98] * 1000:.1f} | {errors} "
        f"| {cpu_ms:.2f} | {generator_ms:.2f} "
        f"| {result['rss_before'] // 1024} → {result['rss_after'] // 1024} MiB ({per_kib:.0f} KiB) "
        f"| {measured['load'][0]:.1f} to {measured['load'][1]:.1f} |",
        flush=True,
    )
    if tally.errors:
        print(f"  errors: {tally.errors}", flush=True)


def report_steps(mode: str, database: str, args: argparse.Namespace, result: dict) -> None:
    """--rates: a row per step, then the errors and the capacity."""
    print(
        "| server | database | processes | conversations | connected | offered events/s | acknowledged events/s "
        "| p50 ms | p95 ms | p99 ms | errors | late | server CPU ms/event | load generator CPU ms/event "
        "| load average |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    notes, capacity = [], None
    for measured in result["steps"]:
        tally: Tally = measured["step"].tally
        count, q, errors, cpu_ms, generator_ms = summary(measured)
        offered, achieved = args.conversations / measured["step"].think, count / args.duration
        print(
            f"| {mode} | {database} | {args.processes if mode == 'turn' else 1} | {args.conversations} "
            f"| {result['connected']} | {offered:.1f} | {achieved:.1f} "
            f"| {q[49] * 1000:.1f} | {q[94] * 1000:.1f} | {q[98] * 1000:.1f} | {errors} | {tally.late} "
            f"| {cpu_ms:.2f} | {generator_ms:.2f} | {measured['load'][0]:.1f} to {measured['load'][1]:.1f} |"
        )
        if tally.errors:
            notes.append(f"  errors at {offered:g}/s: {tally.errors}")
        if achieved >= 0.98 * offered and q[94] * 1000 <= args.p95_limit and errors == 0:
            capacity = offered if capacity is None else max(capacity, offered)
    for note in notes:
        print(note)
    rule = f"≥ 98 % of the offered rate acknowledged, p95 ≤ {args.p95_limit:g} ms, no error"
    if capacity is None:
        print(f"capacity ({mode}): below every step ({rule})", flush=True)
    else:
        print(f"capacity ({mode}): {capacity:g} events/s, the highest step with {rule}", flush=True)


def run_echo(args: argparse.Namespace, folder: Path) -> dict:
    with throwaway_database(args.database, folder) as url:
        server = EchoServer(url)
        try:
            sessions: list[dict[str, str]] = [{}]
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


def positive_rates(text: str) -> list[float]:
    rates = [float(one) for one in text.split(",")]
    if not all(rate > 0 for rate in rates):
        raise argparse.ArgumentTypeError("every rate must be above 0")
    return rates


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
    parser.add_argument(
        "--spread", action="store_true", help="leave each first referral after a random number of answers"
    )
    parser.add_argument(
        "--rates", type=positive_rates, help="steps of offered events/s, e.g. 100,150,200: open-loop capacity"
    )
    parser.add_argument("--settle", type=float, default=5.0, help="--rates: seconds before each step is measured")
    parser.add_argument("--p95-limit", type=float, default=250.0, help="--rates: the capacity's p95 limit, ms")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket per conversation, server and client
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if not args.rates:
        print(
            "| server | database | processes | conversations | connected | events/s | p50 ms | p95 ms | p99 ms "
            "| errors | server CPU ms/event | load generator CPU ms/event | server RSS (per conversation) "
            "| load average |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    show = report_steps if args.rates else report
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "echo"):
            show("echo", args.database, args, run_echo(args, Path(folder)))
        if args.only in (None, "turn"):
            show("turn", args.database, args, run_turns(args, Path(folder)))


if __name__ == "__main__":
    main()
