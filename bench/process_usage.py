"""CPU time and resident memory of processes, read from /proc: a server's, summed over the processes
that serve (the children of a multi-process parent), and the load generator's own."""

from __future__ import annotations

import os
import resource
from pathlib import Path


def server_pids(pid: int) -> list[int]:
    """The processes that serve: the children of a multi-process parent, else the process itself."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children] or [pid]


def rss_kib(pid: int) -> int:
    """The resident memory of the processes that serve."""
    return sum(process_rss_kib(one) for one in server_pids(pid))


def process_rss_kib(pid: int | str = "self") -> int:
    """One process's resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """The CPU time of the processes that serve."""
    return sum(_cpu_seconds(one) for one in server_pids(pid))


def own_cpu_seconds() -> float:
    """The load generator's own CPU time: it shares the cores with the servers."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
