"""`make lint`'s dependency audit: pip-audit on requirements.lock and npm audit on package-lock.json.

Fails (exit status 1) when a locked package has a known vulnerability with a fixed release: upgrade
its pin. A vulnerability with no fix yet is listed without failing, since there is nothing to
upgrade to. Packages the advisory service could not be asked about are listed as not audited, so
an audit that could not run never reads as a clean one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = [
    sys.executable,
    "-m",
    "pip_audit",
    "--requirement",
    "requirements.lock",
    "--no-deps",  # the lock file pins every package: nothing to resolve, nothing to install
    "--disable-pip",
    "--format",
    "json",
    "--progress-spinner",
    "off",
]
NPM_AUDIT = ["npm", "audit", "--json", "--package-lock-only"]


@dataclass
class Findings:
    fixable: list[str] = field(default_factory=list)
    unfixable: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)


def pip_findings(report: dict[str, Any]) -> Findings:
    """From pip-audit's JSON: each dependency has `vulns` (with `fix_versions`) or a `skip_reason`."""
    found = Findings()
    for dependency in report["dependencies"]:
        package = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            found.not_audited.append(f"{package}: {dependency['skip_reason']}")
        for vuln in dependency.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            if fixes:
                found.fixable.append(f"{package}: {vuln['id']}, fixed in {', '.join(fixes)}")
            else:
                found.unfixable.append(f"{package}: {vuln['id']}, no fixed release yet")
    return found


def npm_findings(report: dict[str, Any]) -> Findings:
    """From npm audit's JSON (report version 2): `vulnerabilities` by package, or an `error`."""
    found = Findings()
    if "error" in report:
        error = report["error"]
        detail = error.get("summary") if isinstance(error, dict) else str(error)
        found.not_audited.append(f"package-lock.json: {report.get('message') or detail or 'npm audit failed'}")
        return found
    for name, vulnerability in report.get("vulnerabilities", {}).items():
        line = f"{name} {vulnerability.get('range', '')}: {vulnerability.get('severity', '')}".strip()
        (found.fixable if vulnerability.get("fixAvailable") else found.unfixable).append(line)
    return found


def run_json(command: list[str]) -> dict[str, Any]:
    """The tool's JSON report; both exit non-zero when they find something, so the report decides."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"{' '.join(command[:3])} gave no report:\n{done.stdout}{done.stderr}") from None
    if not isinstance(report, dict):
        raise SystemExit(f"unexpected report from {' '.join(command)}")
    return report


def report(name: str, found: Findings) -> None:
    for line in found.fixable:
        print(f"{name}: VULNERABLE, upgrade: {line}")
    for line in found.unfixable:
        print(f"{name}: vulnerable, no fix to upgrade to: {line}")
    if found.not_audited:
        print(f"{name}: NOT AUDITED ({len(found.not_audited)}): the advisory service could not be asked:")
        for line in found.not_audited[:5]:
            print(f"  {line}")
    if not (found.fixable or found.unfixable or found.not_audited):
        print(f"{name}: no known vulnerabilities")


def main() -> int:
    python = pip_findings(run_json(PIP_AUDIT))
    javascript = npm_findings(run_json(NPM_AUDIT))
    report("requirements.lock", python)
    report("package-lock.json", javascript)
    return 1 if python.fixable or javascript.fixable else 0


if __name__ == "__main__":
    sys.exit(main())
