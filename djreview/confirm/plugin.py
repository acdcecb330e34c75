"""The pytest plugin (entry point ``pytest11``): confirm N+1 findings with the project's tests.

Off unless asked: ``pytest --djreview``, or ``confirm = true`` under
``[tool.djreview]`` in the rootdir's pyproject.toml. Meant for projects that
test with pytest-django. During each test it records every query with its
project call sites; at the end it joins the repeats with a static djreview run
of the same tree, prints a summary and writes the confirmation report that
`djreview check --confirmations` reads.

Whatever goes wrong inside the plugin is reported in the summary and never
fails or changes the user's tests.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from djreview.confirm.join import State, join
from djreview.confirm.observations import decode_run, encode_run
from djreview.confirm.recorder import Recorder
from djreview.confirm.report import DEFAULT_NAME, Report, from_join, write
from djreview.confirm.sites import StackReader
from djreview.confirm.static import StaticRun
from djreview.source.discover import project_root

_PLUGIN_NAME = "djreview-confirm"
# Where a pytest-xdist worker hands its recording to the controller.
_WORKER_KEY = "djreview_confirm"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's command-line options."""
    group = parser.getgroup("djreview", "djreview: confirm static N+1 findings")
    group.addoption(
        "--djreview",
        action="store_true",
        default=False,
        help="Record each test's queries and confirm djreview's N+1 findings with them.",
    )
    group.addoption(
        "--djreview-report",
        default=None,
        metavar="PATH",
        help=f"Where to write the confirmation report (default: {DEFAULT_NAME} in the rootdir).",
    )
    group.addoption(
        "--djreview-path",
        default=None,
        metavar="PATH",
        help="The tree djreview analyses (default: the rootdir).",
    )


def _enabled_in_pyproject(rootdir: Path) -> bool:
    try:
        data = tomllib.loads((rootdir / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return data.get("tool", {}).get("djreview", {}).get("confirm") is True


def pytest_configure(config: pytest.Config) -> None:
    """Register the recording plugin when asked for."""
    rootdir = Path(str(config.rootpath))
    if config.getoption("--djreview") or _enabled_in_pyproject(rootdir):
        config.pluginmanager.register(ConfirmPlugin(config, rootdir), _PLUGIN_NAME)


class ConfirmPlugin:
    """Records each test's queries; joins and reports at the end of the session."""

    def __init__(self, config: pytest.Config, rootdir: Path) -> None:
        self.config = config
        target = config.getoption("--djreview-path")
        self.target = Path(target).resolve() if target else rootdir
        self.root = project_root(self.target)
        report = config.getoption("--djreview-report")
        self.report_path = Path(report).resolve() if report else rootdir / DEFAULT_NAME
        self.recorder = Recorder(StackReader(self.root))
        self.static: StaticRun | None = None
        self.report: Report | None = None
        self.problems: list[str] = []

    @property
    def is_worker(self) -> bool:
        """True inside a pytest-xdist worker: it records, the controller joins."""
        return hasattr(self.config, "workerinput")

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Start the static run now, so it overlaps the tests."""
        if self.is_worker:
            return
        try:
            self.static = StaticRun(self.target, self.root)
        except OSError as error:
            self.problems.append(f"djreview check could not start: {error}")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, None]:
        """Record the queries of the test body."""
        try:
            recording = self.recorder.recording(item.nodeid)
            recording.__enter__()
        except Exception as error:  # never break the user's test
            self.problems.append(f"{item.nodeid}: not recorded: {error!r}")
            yield
            return
        try:
            yield
        finally:
            try:
                recording.__exit__(None, None, None)
            except Exception as error:  # never break the user's test
                self.problems.append(f"{item.nodeid}: recording not closed: {error!r}")

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """On the xdist controller: take over what a finished worker recorded."""
        try:
            output = json.loads(node.workeroutput.get(_WORKER_KEY, "{}"))
            self.recorder.runs.extend(decode_run(run) for run in output.get("runs", ()))
            self.problems.extend(str(problem) for problem in output.get("errors", ()))
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            self.problems.append(f"a worker's recording was lost: {error!r}")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Join the recorded repeats with the static findings and write the report."""
        if self.is_worker:
            runs = [encode_run(run) for run in self.recorder.runs]
            errors = [*self.recorder.errors, *self.problems]
            self.config.workeroutput[_WORKER_KEY] = json.dumps({"runs": runs, "errors": errors})  # type: ignore[attr-defined]
            return
        if self.static is None:
            return
        try:
            findings = self.static.findings()
        except RuntimeError as error:
            self.problems.append(str(error))
            return
        finally:
            self.static.stop()
        try:
            joined = join(findings, self.recorder.runs)
            errors = [*self.recorder.errors, *self.problems]
            self.report = from_join(joined, len(self.recorder.runs), errors)
            write(self.report, self.report_path)
        except Exception as error:  # report it, never fail the session
            self.problems.append(f"confirmation report not written: {error!r}")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """The djreview section of pytest's closing summary."""
        if self.is_worker:
            return
        write_line = terminalreporter.write_line
        terminalreporter.section("djreview: N+1 findings checked against the tests")
        report = self.report
        problems = report.errors if report is not None else (*self.recorder.errors, *self.problems)
        for problem in problems:
            write_line(f"djreview plugin problem: {problem}")
        if report is None:
            write_line("no confirmation report")
            return
        counts = report.counts()
        write_line(
            f"{counts[State.CONFIRMED.value]} confirmed, {counts[State.REFUTED.value]} refuted, "
            f"{counts[State.STATIC_ONLY.value]} static only, {counts['dynamic-only']} dynamic-only"
            f" ({report.tests} tests recorded)"
        )
        for state in report.states:
            if state.state is State.CONFIRMED:
                write_line(
                    f"  confirmed {state.rule_id} {state.path}:{state.line}: "
                    f"{state.count} queries in {state.test}"
                )
            elif state.state is State.REFUTED:
                write_line(
                    f"  refuted   {state.rule_id} {state.path}:{state.line}: {state.rows} rows, "
                    f"no repeated query in {state.test} (prefetched elsewhere? cached?)"
                )
        for repeat in report.dynamic:
            write_line(
                f"  dynamic-only {repeat.site.path}:{repeat.site.line}: the same query "
                f"{repeat.count} times in {repeat.tests[0]}"
            )
        write_line(f"report: {self.report_path}")
