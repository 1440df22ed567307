"""`make lint`'s dependency audit fails on a vulnerability with a fix, and never reads a failed audit as clean.

The reports are shaped as pip-audit's and npm audit's JSON; the advisories in them are invented.
"""

from __future__ import annotations

from typing import Any

import pytest

from tools import dependency_audit
from tools.dependency_audit import npm_findings, pip_findings

PIP_REPORT = {
    "dependencies": [
        {"name": "flask", "version": "3.1.3", "vulns": []},
        {
            "name": "example-web",
            "version": "1.0.0",
            "vulns": [{"id": "PYSEC-0000-0001", "fix_versions": ["1.0.1"], "aliases": [], "description": ""}],
        },
        {
            "name": "example-parser",
            "version": "2.0.0",
            "vulns": [{"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": [], "aliases": [], "description": ""}],
        },
        {"name": "example-private", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ],
    "fixes": [],
}

NPM_REPORT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "example-client": {"name": "example-client", "severity": "high", "range": "<4.8.2", "fixAvailable": True},
        "example-axe": {"name": "example-axe", "severity": "low", "range": "*", "fixAvailable": False},
    },
    "metadata": {},
}

NPM_UNREACHABLE = {"message": "405 Method Not Allowed - POST …/advisories/bulk", "error": {"summary": "", "detail": ""}}


def test_pip_audit_vulnerabilities_are_sorted_by_whether_a_fix_exists() -> None:
    found = pip_findings(PIP_REPORT)
    assert found.fixable == ["example-web 1.0.0: PYSEC-0000-0001, fixed in 1.0.1"]
    assert found.unfixable == ["example-parser 2.0.0: GHSA-xxxx-yyyy-zzzz, no fixed release yet"]
    assert found.not_audited == ["example-private: Dependency not found on PyPI and could not be audited"]


def test_npm_audit_vulnerabilities_are_sorted_by_whether_a_fix_exists() -> None:
    found = npm_findings(NPM_REPORT)
    assert found.fixable == ["example-client <4.8.2: high"]
    assert found.unfixable == ["example-axe *: low"]


def test_an_npm_audit_that_could_not_ask_the_registry_is_not_audited_not_clean() -> None:
    found = npm_findings(NPM_UNREACHABLE)
    assert (found.fixable, found.unfixable) == ([], [])
    assert found.not_audited == ["package-lock.json: 405 Method Not Allowed - POST …/advisories/bulk"]


@pytest.mark.parametrize(
    ("pip", "npm", "status"),
    [
        (PIP_REPORT, {"vulnerabilities": {}}, 1),
        ({"dependencies": []}, NPM_REPORT, 1),
        ({"dependencies": [PIP_REPORT["dependencies"][2]]}, {"vulnerabilities": {}}, 0),  # no fix to take
        ({"dependencies": []}, NPM_UNREACHABLE, 0),
    ],
)
def test_the_audit_fails_only_on_a_vulnerability_with_a_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], pip: Any, npm: Any, status: int
) -> None:
    reports = {"pip_audit": pip, "npm": npm}
    monkeypatch.setattr(
        dependency_audit, "run_json", lambda command: reports[command[2] if command[0] != "npm" else "npm"]
    )
    assert dependency_audit.main() == status
    assert capsys.readouterr().out


def test_a_tool_that_gives_no_report_fails_the_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dependency_audit, "PIP_AUDIT", ["python3", "-c", "print('not json')"])
    with pytest.raises(SystemExit, match="gave no report"):
        dependency_audit.main()
