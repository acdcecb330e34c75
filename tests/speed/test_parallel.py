"""--jobs: a pool run prints byte for byte what a single-process run prints."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from djreview.checks.base import Check
from djreview.cli.main import main
from djreview.config import Config
from djreview.engine import parallel
from djreview.engine.incremental import Incremental
from djreview.engine.parallel import RuleSet, analyse_file
from djreview.engine.registry import load_registry
from djreview.engine.runner import load_project, rule_set, select_rules
from djreview.model import Location
from djreview.source.file import SourceFile
from djreview.source.project import Project


def check(tree: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["check", str(tree), "--no-cache", *args])
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize("output_format", ["sarif", "text"])
def test_pool_output_is_identical_to_single_process(
    fixture_project: Path, output_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_FILES", 1)
    single = check(fixture_project, "-j", "1", "--format", output_format)
    assert check(fixture_project, "-j", "2", "--format", output_format) == single
    assert check(fixture_project, "-j", "3", "--format", output_format) == single


class WhichProcess(Check):
    """Reports the process that analysed each file."""

    id = "DJR998"
    name = "test-which-process"
    message = "analysed by {pid}"
    category = "performance"

    def check_file(self, file, project):
        yield self.finding(Location(file.rel, 1), pid=os.getpid())


def test_files_are_spread_over_workers(fixture_project: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_FILES", 1)
    registry = load_registry()
    project = load_project([fixture_project], Config())
    base = rule_set(registry, select_rules(registry, Config()))
    rules = RuleSet(base.yaml_rules, (*base.checks, WhichProcess()))
    # Three processes: one runs the whole-project checks, two share the files.
    raw = Incremental(project, rules, jobs=3).analyse().raw
    pids = {f.message for f in raw if f.rule_id == "DJR998"}
    assert len(pids) == 2 and f"analysed by {os.getpid()}" not in pids


def test_small_trees_are_analysed_in_process(fixture_project: Path) -> None:
    project = load_project([fixture_project], Config())
    rules = RuleSet((), (WhichProcess(),))
    raw = Incremental(project, rules, jobs=4).analyse().raw
    assert {f.message for f in raw} == {f"analysed by {os.getpid()}"}


class Endless(Check):
    """Never finishes on files named slow.py."""

    id = "DJR997"
    name = "test-endless"
    message = "unreachable"
    category = "performance"

    def check_file(self, file, project):
        while file.rel == "slow.py":
            pass
        yield self.finding(Location(file.rel, 1))


def test_a_file_over_its_time_budget_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    files = [
        SourceFile(
            tmp_path / name,
            name,
            "python",
            "x = 1\n",
        )
        for name in ("fast.py", "slow.py")
    ]
    project = Project(tmp_path, files)
    rules = RuleSet((), (Endless(),))
    slow = analyse_file(files[1], project, rules, frozenset({"DJR997"}), budget=0.2)
    assert not slow.complete
    assert "longer than the 0.2 s budget" in slow.notes[0].message
    analysis = Incremental(project, rules, budget=0.2).analyse()
    assert [f.location.path for f in analysis.raw] == ["fast.py"]
    assert not analysis.complete
    assert [n.path for n in analysis.notes] == ["slow.py"]


class ProjectPid(Check):
    """Reports the process that ran the whole-project checks."""

    id = "DJR997"
    name = "test-project-pid"
    message = "project checks in {pid}"
    category = "performance"

    def check_project(self, project):
        yield self.finding(Location(project.files[0].rel, 1), pid=os.getpid())


def _with_project_pid(tree: Path, jobs: int) -> list[str]:
    registry = load_registry()
    project = load_project([tree], Config())
    base = rule_set(registry, select_rules(registry, Config()))
    rules = RuleSet(base.yaml_rules, (*base.checks, ProjectPid()))
    raw = Incremental(project, rules, jobs=jobs).analyse().raw
    return sorted(f.message for f in raw if f.rule_id == "DJR997")


def test_project_checks_run_beside_the_file_work(fixture_project: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_FILES", 1)
    assert _with_project_pid(fixture_project, 1) == [f"project checks in {os.getpid()}"]
    (aside,) = _with_project_pid(fixture_project, 2)
    assert aside != f"project checks in {os.getpid()}"


def test_a_failed_side_process_loses_nothing(fixture_project: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_FILES", 1)
    single = check(fixture_project, "-j", "1", "--format", "json")

    def broken() -> None:
        raise RuntimeError("side process crashed")

    monkeypatch.setattr(parallel, "_aside_work", broken)
    assert check(fixture_project, "-j", "2", "--format", "json") == single
    assert _with_project_pid(fixture_project, 2) == [f"project checks in {os.getpid()}"]


def test_an_interrupted_run_leaves_no_side_process(fixture_project: Path, monkeypatch) -> None:
    import multiprocessing

    monkeypatch.setattr(parallel, "POOL_MIN_FILES", 1)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("djreview.engine.incremental.analyse_files", interrupted)
    registry = load_registry()
    project = load_project([fixture_project], Config())
    rules = rule_set(registry, select_rules(registry, Config()))
    with pytest.raises(KeyboardInterrupt):
        Incremental(project, rules, jobs=2).analyse()
    assert multiprocessing.active_children() == []


def test_one_handler_for_a_batch_still_budgets_each_file_and_is_restored(tmp_path: Path) -> None:
    files = [
        SourceFile(tmp_path / name, name, "python", "x = 1\n") for name in ("slow.py", "fast.py")
    ]
    project = Project(tmp_path, files)
    before = signal.getsignal(signal.SIGVTALRM)
    analysis = Incremental(project, RuleSet((), (Endless(),)), budget=0.2).analyse()
    # The file after the one cut off ran to its end: its own budget, not the leftover of one.
    assert [f.location.path for f in analysis.raw] == ["fast.py"]
    assert [n.path for n in analysis.notes] == ["slow.py"]
    assert signal.getsignal(signal.SIGVTALRM) == before
