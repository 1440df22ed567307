"""Where the server's memory per idle connection goes: what bench/concurrency.py's RSS figure is made of.

    .venv/bin/python bench/idle_memory.py --connections 500 [--trace] [--no-deflate] [--top 25]

Starts `python -m assistant.serve`'s server (the same process set-up, monkey-patched gevent) through this
file, signs a first responder in, opens and closes a few connections to warm the server up, then opens
``--connections`` idle Socket.IO connections over WebSocket (offering permessage-deflate as browsers do,
unless ``--no-deflate``), holds them ``--hold`` seconds (past 45, Engine.IO's pings must keep them open) and
counts those still connected. Before and after, the server writes what it holds, and this prints the difference
per connection:

- resident memory, and what glibc's malloc says is in use and free (``mallinfo2``), then the resident
  memory after ``malloc_trim(0)`` (what fragmentation holds that could go back to the system);
- greenlets by what they run, with the C stack slices greenlet keeps on the heap for suspended ones;
- Python objects by type (``gc``), and with ``--trace``, tracemalloc's allocations grouped by the line of
  the project's or a library's code that made them (tracemalloc's own bookkeeping inflates the resident
  figure, so run without it for that).
"""

from __future__ import annotations

import sys

if __name__ == "__main__" and "--serve" in sys.argv:  # the server: monkey-patched before anything else
    from gevent import monkey

    monkey.patch_all()

import argparse
import asyncio
import collections
import ctypes
import gc
import json
import os
import resource
import signal
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.process_usage import process_rss_kib  # noqa: E402 - once the project is on the path

REPORTS = "IDLE_MEMORY_REPORTS"  # the folder the server writes its reports to, one per SIGUSR1


class MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            *("arena", "ordblks", "smblks", "hblks", "hblkhd"),
            *("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"),
        )
    ]


def _libc() -> Any:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    return libc


def _greenlets() -> dict[str, list[int]]:
    """Live greenlets by the function at the bottom and top of their stacks: [count, saved C stack bytes]."""
    import greenlet  # type: ignore[import-untyped]  # no stubs

    kinds: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for obj in gc.get_objects():
        if isinstance(obj, greenlet.greenlet) and not obj.dead:
            frame, top = obj.gr_frame, None
            while frame is not None:
                top = top or f"{frame.f_code.co_name}"
                bottom = frame
                frame = frame.f_back
            name = "running or not started" if top is None else f"{bottom.f_code.co_name} … {top}"
            kinds[name][0] += 1
            kinds[name][1] += obj._stack_saved
    return dict(kinds)


def _pymalloc() -> dict[str, int]:
    """pymalloc's arenas (mapped directly, so outside malloc's figures): bytes in blocks in use, and in all."""
    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read()
    numbers = {}
    for line in text.splitlines():
        if line.startswith("# bytes in allocated blocks"):
            numbers["blocks"] = int(line.split("=")[1].replace(",", ""))
        elif line.startswith("Total") and "arenas" not in numbers:
            numbers["arenas"] = int(line.split("=")[1].replace(",", ""))
    return numbers


def _anonymous_kib() -> dict[str, int]:
    """Resident anonymous memory: in the heap (malloc's main arena) and in other mappings (pymalloc's
    arenas, malloc's large blocks, the interpreter's frame stacks: CPython 3.11 gives each greenlet its own)."""
    heap = other = 0
    name = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if not line[0].isupper() or ":" not in line.split()[0]:
            parts = line.split()
            name = parts[5] if len(parts) > 5 else ""
        elif line.startswith("Anonymous:"):
            size = int(line.split()[1])
            if name == "[heap]":
                heap += size
            elif name == "":
                other += size
    return {"heap": heap, "mapped": other}


def _write_report(step: int) -> None:
    libc = _libc()
    gc.collect()
    info = libc.mallinfo2()
    types = collections.Counter(type(obj).__qualname__ for obj in gc.get_objects())
    report: dict[str, Any] = {
        "rss": process_rss_kib(),
        "in_use": info.uordblks + info.hblkhd,
        "free": info.fordblks,
        "types": dict(types),
        "pymalloc": _pymalloc(),
        "anonymous": _anonymous_kib(),
    }
    folder = Path(os.environ[REPORTS])
    if step == 0 and os.environ.get("IDLE_MEMORY_TRACE"):  # from here: tracing a start-up takes minutes
        tracemalloc.start(int(os.environ["IDLE_MEMORY_TRACE"]))
    if tracemalloc.is_tracing():
        tracemalloc.take_snapshot().dump(str(folder / f"{step}.trace"))
    # last: walking a suspended greenlet's frames makes a frame object of each (about 5 KiB a connection)
    report["greenlets"] = _greenlets()
    if step > 0:
        libc.malloc_trim(0)
        report["rss_trimmed"] = process_rss_kib()
    (folder / f"{step}.json").write_text(json.dumps(report))


def serve() -> None:
    import gevent

    steps = iter(range(100))
    gevent.signal_handler(signal.SIGUSR1, lambda: _write_report(next(steps)))
    from assistant.serve import main

    main()


def _report(folder: Path, step: int, server: subprocess.Popen[bytes]) -> dict[str, Any]:
    server.send_signal(signal.SIGUSR1)
    path = folder / f"{step}.json"
    deadline = time.monotonic() + 300
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(0.5)  # the file is written whole before the next check
    result: dict[str, Any] = json.loads(path.read_text())
    return result


async def _open(url: str, headers: dict[str, str], count: int, deflate: bool, ramp: float) -> list[Any]:
    import socketio

    async def one(delay: float) -> Any:
        await asyncio.sleep(delay)
        client = socketio.AsyncClient(reconnection=False, websocket_extra_options={"compress": 15} if deflate else {})
        await client.connect(url, transports=["websocket"], headers=dict(headers), wait_timeout=30)
        return client

    return await asyncio.gather(*(one(ramp * index / count) for index in range(count)))


async def _hold(url: str, headers: dict[str, str], args: argparse.Namespace, folder: Path, server: Any) -> tuple:
    warm = await _open(url, headers, 20, args.deflate, 1.0)
    for client in warm:
        await client.disconnect()
    await asyncio.sleep(3)
    before = await asyncio.to_thread(_report, folder, 0, server)
    clients = await _open(url, headers, args.connections, args.deflate, args.ramp)
    await asyncio.sleep(args.hold)
    connected = sum(client.connected for client in clients)
    after = await asyncio.to_thread(_report, folder, 1, server)
    for client in clients:
        await client.disconnect()
    return before, after, connected


def _trace_diff(folder: Path, count: int, top: int) -> None:
    """tracemalloc's allocations made between the two reports, by the innermost frame of a library or
    the project (not the standard library's), per connection."""
    first = tracemalloc.Snapshot.load(str(folder / "0.trace"))
    second = tracemalloc.Snapshot.load(str(folder / "1.trace"))
    stats = second.compare_to(first, "traceback")
    by_site: collections.Counter[str] = collections.Counter()
    for stat in stats:
        by_site[_site(stat.traceback)] += stat.size_diff
    total = sum(by_site.values())
    by_package: collections.Counter[str] = collections.Counter()
    for site, size in by_site.items():
        by_package[site.split(":")[0].split("/")[0] if "/assistant/" not in site else "assistant"] += size
    print(f"\ntracemalloc: {total / count / 1024:.1f} KiB per connection traced; by package:")
    for package, size in by_package.most_common():
        if size / count >= 50:
            print(f"  {size / count:8.0f} B  {package}")
    print("by where it was allocated (a suspended greenlet's saved C stack shows where it switched out):")
    for site, size in by_site.most_common(top):
        print(f"  {size / count:8.0f} B  {site}")


def _site(traceback: tracemalloc.Traceback) -> str:
    frames = list(traceback)  # the oldest first
    own = [f for f in frames if "site-packages" in f.filename or "/assistant/" in f.filename]
    inner = frames[-1]
    outer = own[-1] if own else inner
    short = lambda f: f"{f.filename.split('site-packages/')[-1].split('/python3.11/')[-1]}:{f.lineno}"  # noqa: E731
    return short(outer) if outer is inner else f"{short(outer)} (in {short(inner)})"


def main() -> None:
    if "--serve" in sys.argv:
        serve()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--ramp", type=float, default=15.0, help="seconds over which the connections open")
    parser.add_argument("--hold", type=float, default=3.0, help="seconds the connections stay open before counting")
    parser.add_argument("--no-deflate", dest="deflate", action="store_false", help="offer no WebSocket compression")
    parser.add_argument("--trace", action="store_true", help="tracemalloc's breakdown (inflates the resident figure)")
    parser.add_argument("--frames", type=int, default=10, help="frames tracemalloc keeps per allocation")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    from tests.databases import throwaway_database
    from tests.e2e.conftest import (
        create_account,
        flask_cli,
        free_port,
        server_env,
        sign_in,
        socket_headers,
        wait_until_up,
    )

    with tempfile.TemporaryDirectory() as name, throwaway_database("sqlite", Path(name)) as database:
        folder = Path(name)
        env = server_env(database, **{REPORTS: name}, **({"IDLE_MEMORY_TRACE": str(args.frames)} if args.trace else {}))
        flask_cli(env, "db", "upgrade")
        email = create_account(env)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(folder / "server.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve"], cwd=ROOT, env={**env, "PORT": str(port)}, stdout=log, stderr=log
        )
        try:
            wait_until_up(url, server)
            headers = socket_headers(sign_in(url, email))
            before, after, connected = asyncio.run(_hold(url, headers, args, folder, server))
            _print(before, after, connected, args)
            if args.trace:
                _trace_diff(folder, max(1, connected), args.top)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _print(before: dict[str, Any], after: dict[str, Any], connected: int, args: argparse.Namespace) -> None:
    n = max(1, connected)  # per connection that is open
    print(f"{connected} of {n} connected, deflate offered: {args.deflate}, load average {os.getloadavg()[0]:.1f}")
    per = (after["rss"] - before["rss"]) / n
    print(f"resident: {before['rss'] // 1024} → {after['rss'] // 1024} MiB, {per:.1f} KiB per connection")
    grown = (after["in_use"] - before["in_use"]) / n / 1024
    print(f"malloc in use: {grown:.1f} KiB per connection; free in malloc's arenas after: {after['free'] // 1024} KiB")
    per = (after["rss_trimmed"] - before["rss"]) / n
    print(f"resident after malloc_trim(0): {after['rss_trimmed'] // 1024} MiB, {per:.1f} KiB per connection")
    for key in ("blocks", "arenas"):
        grown = (after["pymalloc"].get(key, 0) - before["pymalloc"].get(key, 0)) / n / 1024
        print(f"pymalloc, {'in blocks in use' if key == 'blocks' else 'arenas'}: {grown:.1f} KiB per connection")
    for key in ("heap", "mapped"):
        grown = (after["anonymous"][key] - before["anonymous"][key]) / n
        print(f"resident anonymous memory, {key}: {grown:.1f} KiB per connection")
    print("greenlets (count and saved C stack, per connection):")
    for kind, (count, saved) in sorted(after["greenlets"].items(), key=lambda item: -item[1][1]):
        count0, saved0 = before["greenlets"].get(kind, [0, 0])
        if count - count0:
            print(f"  {(count - count0) / n:5.2f} x {kind}: {(saved - saved0) / n / 1024:.1f} KiB")
    grew = {t: after["types"][t] - before["types"].get(t, 0) for t in after["types"]}
    print("objects per connection (gc-tracked, by type):")
    for kind, count in sorted(grew.items(), key=lambda item: -item[1])[: args.top]:
        if count >= n // 2:
            print(f"  {count / n:6.2f} {kind}")


if __name__ == "__main__":
    main()
