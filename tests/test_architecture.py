"""The one-way dependencies of docs/architecture.md, read from every import in the package (those
inside functions and under TYPE_CHECKING too), so a shortcut across layers fails here first."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
# The web and storage libraries: the engine must not know it runs in a web service.
WEB_AND_STORAGE_LIBRARIES = ("flask", "flask_babel", "flask_socketio", "flask_login", "werkzeug", "sqlalchemy")


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(module: str, path: Path) -> set[str]:
    """Every module ``module`` imports, as an absolute dotted name (``from x import y`` gives x.y too,
    since y may be a module)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return found


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def importers_of(package: str) -> set[str]:
    """The modules outside ``package`` that import something in it."""
    return {
        module
        for module, path in modules()
        if not within(module, package) and any(within(name, package) for name in imports(module, path))
    }


ENGINE = [(module, path) for module, path in modules() if within(module, "assistant.engine")]


def test_the_rules_read_the_package() -> None:
    assert len(ENGINE) > 5
    assert "assistant.engine.flow" in imports(*next(m for m in ENGINE if m[0] == "assistant.engine.registry"))


@pytest.mark.parametrize(("module", "path"), ENGINE, ids=[module for module, _path in ENGINE])
def test_the_engine_is_pure(module: str, path: Path) -> None:
    """No web, no storage, nothing of the service around it."""
    outside = {
        name
        for name in imports(module, path)
        if (within(name, "assistant") and not within(name, "assistant.engine"))
        or name.split(".")[0] in WEB_AND_STORAGE_LIBRARIES
    }
    assert not outside


def test_only_the_app_factory_imports_the_views() -> None:
    """Services, storage and the chat's transport never reach up into the pages."""
    assert importers_of("assistant.web") <= {"assistant"}


def test_only_the_app_factory_imports_the_chat_transport() -> None:
    assert importers_of("assistant.realtime") <= {"assistant"}


def test_storage_depends_on_nothing_above_it() -> None:
    for module, path in modules():
        if within(module, "assistant.storage"):
            above = {
                name
                for name in imports(module, path)
                if within(name, "assistant")
                and not within(name, "assistant.storage")
                and not within(name, "assistant.extensions")
                and name != "assistant"
            }
            assert not above, module


def test_the_services_never_import_a_transport_or_a_command() -> None:
    """The accounts, casework, statistics, audit, intake and hand-off are called; they call no view,
    Socket.IO handler or command line."""
    services = ("accounts", "casework", "statistics", "audit", "intake", "handoff", "conversations", "storage")
    transports = ("web", "realtime", "cli", "cli_api")
    for module, path in modules():
        if any(within(module, f"assistant.{service}") for service in services):
            reached = {n for n in imports(module, path) for t in transports if within(n, f"assistant.{t}")}
            assert not reached, module
