"""Validate SARIF text as its real consumers do: the 2.1.0 schema and Microsoft's Multitool.

`SarifSession.expect` (the `sarif_session` fixture) is the hook tests use (the
AI tests validate `--ai` output with it): the logs of a whole test session
are validated by one Multitool run. The Multitool (`@microsoft/sarif-multitool-linux`,
called as its `Sarif.Multitool` binary) runs `validate --rule-kind "Sarif;Gh"`,
the checks GitHub code scanning applies. It exits 0 even when it finds
errors, so its output log is read instead. `.ci/run` installs it into
`.ci/node/` (gitignored as node_modules); when it is missing and npm is
present it is installed there on first use; without npm the tests skip.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
NODE_PREFIX = ROOT / ".ci" / "node"
PACKAGE = "@microsoft/sarif-multitool-linux"
BINARY = NODE_PREFIX / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
# The official OASIS schema and GitHub's stricter variant (codeql-action).
SCHEMAS = ("sarif-schema-2.1.0.json", "github-sarif-schema-2.1.0.json")
_PLACEHOLDER_RE = re.compile(r"\{(\d+)\}")


def schema_errors(log: dict[str, Any]) -> list[str]:
    """Every schema violation, against both stored 2.1.0 schemas."""
    problems = []
    for name in SCHEMAS:
        schema = json.loads((DATA / name).read_text(encoding="utf-8"))
        validator = jsonschema.validators.validator_for(schema)(schema)
        problems += [
            f"{name}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(log)
        ]
    return problems


def multitool() -> Path:
    """The Multitool binary, installed with npm if needed; skips the test without npm."""
    override = os.environ.get("DJREVIEW_SARIF_MULTITOOL")
    if override:
        return Path(override)
    if not BINARY.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(f"npm is not installed, so the SARIF Multitool ({PACKAGE}) cannot be")
        modules = NODE_PREFIX / "node_modules"  # gitignored, lock file included
        modules.mkdir(parents=True, exist_ok=True)
        # pytest-xdist workers may get here together: one installs, the rest wait.
        with open(modules / ".djreview-install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not BINARY.exists():
                subprocess.run(
                    [
                        npm,
                        "install",
                        "--no-save",
                        "--no-package-lock",
                        "--no-audit",
                        "--no-fund",
                        "--prefix",
                        str(NODE_PREFIX),
                        PACKAGE,
                    ],
                    check=True,
                    capture_output=True,
                    timeout=600,
                )
    # npm may skip the package's postinstall `chmod u+x`.
    BINARY.chmod(BINARY.stat().st_mode | 0o100)
    return BINARY


def _format(message: dict[str, Any], rule: dict[str, Any]) -> str:
    template = rule.get("messageStrings", {}).get(message.get("id", ""), {}).get("text")
    arguments = message.get("arguments", [])
    if template is None:
        return message.get("text") or " ".join(map(str, arguments))
    return _PLACEHOLDER_RE.sub(lambda m: str(arguments[int(m.group(1))]), template)


def multitool_problems_of(
    texts: dict[str, str], levels: tuple[str, ...] = ("error", "warning")
) -> dict[str, list[str]]:
    """The Multitool's `Sarif;Gh` findings on each log, by label: one .NET process for all."""
    binary = multitool()
    problems: dict[str, list[str]] = {label: [] for label in texts}
    with tempfile.TemporaryDirectory() as folder:
        by_uri: dict[str, str] = {}
        sources = []
        for number, (label, text) in enumerate(texts.items()):
            source = Path(folder) / f"log{number}.sarif"
            source.write_text(text, encoding="utf-8")
            by_uri[source.as_uri()] = label
            sources.append(str(source))
        report = Path(folder) / "validation.sarif"
        # Hosts without libicu would otherwise crash the .NET runtime.
        env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"}
        run = subprocess.run(
            [
                str(binary),
                "validate",
                "--rule-kind",
                "Sarif;Gh",
                "--level",
                "Error;Warning;Note",
                "--output",
                str(report),
                *sources,
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            check=False,
        )
        if not report.exists():
            raise AssertionError(f"the Multitool wrote no log:\n{run.stdout}\n{run.stderr}")
        validation = json.loads(report.read_text(encoding="utf-8-sig"))
    for run_log in validation["runs"]:
        rules = run_log["tool"]["driver"].get("rules", [])
        for notification in (
            note
            for invocation in run_log.get("invocations", [])
            for note in invocation.get("toolExecutionNotifications", [])
            if note.get("level") == "error"
        ):
            for label in problems:  # not tied to one log: every log is suspect
                problems[label].append(f"multitool error: {notification['message'].get('text')}")
        for result in run_log.get("results", []):
            level = result.get("level", "warning")
            if level not in levels:
                continue
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            rule = rules[result["ruleIndex"]] if "ruleIndex" in result else {}
            problems[by_uri[uri]].append(
                f"{result['ruleId']} {level}: {_format(result['message'], rule)}"
            )
    return problems


class SarifSession:
    """SARIF logs collected during the test session, validated by ONE Multitool run at its end.

    Starting the .NET Multitool costs seconds, more than validating: tests
    hand their logs to `expect` (the schemas are checked at once, they are
    cheap) with what the Multitool must say about them, and the session's
    end runs it once on every log and fails naming each log it refused.
    """

    def __init__(self) -> None:
        self.logs: dict[str, tuple[str, Callable[[list[str]], None]]] = {}

    def expect(
        self, label: str, text: str, check: Callable[[list[str]], None] | None = None
    ) -> None:
        """Validate `text` at the session's end: no problems, or `check(problems)` passes."""
        assert schema_errors(json.loads(text)) == [], label
        self.logs[label] = (text, check or _no_problems)

    def finish(self) -> None:
        """Run the Multitool once over every log; AssertionError listing each failed log."""
        if not self.logs:
            return
        found = multitool_problems_of({label: text for label, (text, _) in self.logs.items()})
        failures = []
        for label, (_, check) in self.logs.items():
            try:
                check(found[label])
            except AssertionError as exc:
                failures.append(f"{label}: {exc}")
        assert not failures, "SARIF the Multitool refuses:\n" + "\n".join(failures)


def _no_problems(problems: list[str]) -> None:
    assert problems == [], problems
