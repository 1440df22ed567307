"""YAML whose mappings remember the line they start on, so every problem in a flow file names its line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml


class Lined(dict[Any, Any]):  # YAML mapping keys may be any scalar until checked
    line = 0


class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader whose mappings remember the line they start on: libyaml's where PyYAML was built
    with it (the pure-Python parser took a third of a second of every start-up on the NRM flow)."""


def _construct_map(loader: LineLoader, node: yaml.MappingNode) -> Iterable[Lined]:
    mapping = Lined()
    mapping.line = node.start_mark.line + 1
    yield mapping
    mapping.update(loader.construct_mapping(node))


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
