"""The routing graph's checks: every question is reachable, and every question leads on to the review."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .ids import REVIEW


def graph_problems(edges: Mapping[str, list[str]], lines: Mapping[str, int]) -> list[tuple[int, str]]:
    """Each question no route reaches from the first, and each from which no path leads to the review."""
    if not edges:
        return []
    problems: list[tuple[int, str]] = []
    start = next(iter(edges))
    reached = _reachable([start], lambda n: list(edges.get(n, [])))
    for qid in edges:
        if qid not in reached:
            problems.append((lines[qid], f"question {qid!r} is unreachable: no route leads to it"))
    incoming: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            incoming.setdefault(target, []).append(source)
    finishing = _reachable([REVIEW], lambda n: incoming.get(n, []))
    for qid in edges:
        if qid not in finishing and qid in reached:
            problems.append((lines[qid], f"question {qid!r} is a dead end: no path leads on to the review"))
    return problems


def _reachable(roots: list[str], neighbours: Callable[[str], list[str]]) -> set[str]:
    seen, todo = set(roots), list(roots)
    while todo:
        for nxt in neighbours(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
