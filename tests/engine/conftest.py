from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant.engine import Engine, Snapshot, load_flow
from assistant.engine.flow import BUILTIN_LISTS
from tests.scenarios import SYNTHETIC_LIST_VALUES, run

FLOWS = Path(__file__).resolve().parents[2] / "flows"
TODAY = dt.date(2026, 11, 29)


class FakeLists:
    """Lists as the engine sees them: membership only."""

    def contains(self, name: str, value: str) -> bool:
        return SYNTHETIC_LIST_VALUES.get(name) == value or value in {"VN", "ER", "GB", "FR"}


def as_prompt(question: Any) -> dict[str, Any]:
    data = dataclasses.asdict(question)
    data["options"] = [{"value": o.value, "label": o.label} for o in question.options]
    data["question_id"] = question.id
    return data


@pytest.fixture(scope="session")
def nrm() -> Engine:
    known = BUILTIN_LISTS | {p.stem for p in (FLOWS / "lists").glob("*.yaml")} | set(SYNTHETIC_LIST_VALUES)
    return Engine(load_flow(FLOWS / "nrm.yaml", known), FakeLists())


class Walk:
    """Answers the engine's questions with a scenario, keeping the snapshot."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.snapshot: Snapshot = engine.start()

    def step(self, question_id: str, value: Any) -> dict[str, Any] | None:
        self.snapshot = self.engine.answer(self.snapshot, question_id, value, TODAY)
        if self.snapshot.state == "review":
            return None
        return as_prompt(self.engine.question(self.snapshot))

    def through(self, fixed: dict[str, Any]) -> list[str]:
        return run(self.step, as_prompt(self.engine.question(self.snapshot)), fixed)


@pytest.fixture
def walk(nrm: Engine) -> Walk:
    return Walk(nrm)
