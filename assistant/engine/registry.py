"""All flow versions the process knows, each with its one engine and shared machine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .engine import Engine
from .errors import FlowError
from .flow import BUILTIN_LISTS, parse_flow
from .integration import check_integration
from .spec import Flow
from .validators import Lists


class FlowRegistry:
    """Flow versions keyed by content digest; the newest file of each flow starts new conversations."""

    def __init__(self, lists: Lists, list_names: Iterable[str] = ()) -> None:
        self.lists = lists
        self.list_names = frozenset(BUILTIN_LISTS | set(list_names))
        self._engines: dict[str, Engine] = {}
        self._current: dict[str, str] = {}

    def load_dir(self, directory: str | Path) -> list[Flow]:
        """Load every ``*.yaml`` flow in ``directory``; raise FlowError with all problems of all files."""
        flows, problems = [], []
        for path in sorted(Path(directory).glob("*.yaml")):
            try:
                flows.append(parse_flow(path.read_text(encoding="utf-8"), str(path), self.list_names))
            except FlowError as error:
                problems.extend(error.problems)
        if problems:
            raise FlowError(problems)
        for flow in flows:
            self.add(flow, current=True)
        return flows

    def add(self, flow: Flow, current: bool = False) -> Engine:
        engine = self._engines.get(flow.digest)
        if engine is None:
            engine = self._engines[flow.digest] = Engine(flow, self.lists)
        if current:
            self._current[flow.id] = flow.digest
        return engine

    def add_source(self, source: str, file: str) -> Engine:
        """An older version kept only as stored text (its file has since changed). One written before
        flows declared their integration points takes the current version's, if they fit it."""
        flow = parse_flow(source, file, self.list_names)
        current = self.current(flow.id)
        if not flow.integration.declared and current is not None:
            problems: list[str] = []
            made = list(flow.integration.prefixes)
            inherited = current.flow.integration
            check_integration(inherited, 0, flow.questions, made, lambda _line, message: problems.append(message))
            if not problems:
                flow = replace(flow, integration=inherited)
        return self.add(flow)

    def current(self, flow_id: str) -> Engine | None:
        digest = self._current.get(flow_id)
        return self._engines[digest] if digest else None

    def by_digest(self, digest: str) -> Engine | None:
        return self._engines.get(digest)

    @property
    def flow_ids(self) -> list[str]:
        return sorted(self._current)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind of submission the current flows make (their reference prefixes), flow by flow."""
        made = (
            kind
            for flow_id in self.flow_ids
            for kind in self._engines[self._current[flow_id]].flow.integration.prefixes
        )
        return tuple(dict.fromkeys(made))
