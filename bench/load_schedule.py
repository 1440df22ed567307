"""The offered load of bench/concurrency.py over a run: one think time, or steps of offered rates, and
what each measures (latencies, errors, events that came due while the previous one was unanswered)."""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field


@dataclass
class Tally:
    """The events sent from ``measure_from`` until ``measure_to``: latencies, errors, late ones."""

    measure_from: float = 0.0
    measure_to: float = math.inf
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    late: int = 0

    def counts(self, sent: float) -> bool:
        return self.measure_from <= sent < self.measure_to

    def record(self, sent: float, latency: float | None, error: str | None) -> None:
        if not self.counts(sent):
            return
        if error is None and latency is not None:
            self.latencies.append(latency)
        else:
            self.errors[error or "unknown"] = self.errors.get(error or "unknown", 0) + 1


@dataclass
class Step:
    """A think time from ``starts`` on (the first step's from the start of the ramp), and what is measured."""

    think: float
    starts: float
    tally: Tally


@dataclass
class Schedule:
    """The offered load over the run: its steps, in order, until ``ends_at``."""

    steps: list[Step]
    ends_at: float
    connected: int = 0

    def step_at(self, when: float) -> Step:
        current = self.steps[0]
        for step in self.steps:
            if step.starts <= when:
                current = step
        return current

    def next_due(self, due: float, phase: float) -> float:
        """A conversation's event after the one due at ``due``: a think time on, or at its phase in the next step."""
        step = self.step_at(due)
        following = self.step_at(due + step.think)
        if following is step:
            return due + step.think
        return following.starts + phase * following.think

    def record(self, sent: float, latency: float | None, error: str | None) -> None:
        for step in self.steps:
            step.tally.record(sent, latency, error)

    def count_late(self, due: float) -> None:
        for step in self.steps:
            if step.tally.counts(due):
                step.tally.late += 1


def make_schedule(args: argparse.Namespace, ramp_ends: float) -> Schedule:
    """One step of ``--think``; or, with ``--rates``, a step per rate, each settling before it is measured."""
    if not args.rates:
        tally = Tally(ramp_ends, ramp_ends + args.duration)
        return Schedule([Step(args.think, ramp_ends, tally)], tally.measure_to)
    steps = []
    for index, rate in enumerate(args.rates):
        starts = ramp_ends + index * (args.settle + args.duration)
        measure_from = starts + args.settle
        steps.append(Step(args.conversations / rate, starts, Tally(measure_from, measure_from + args.duration)))
    return Schedule(steps, steps[-1].tally.measure_to)
