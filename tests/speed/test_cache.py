"""The result cache: a cached re-run prints what a fresh run prints, and edits invalidate."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from djreview.checks.base import Check
from djreview.cli.main import main
from djreview.config import Config
from djreview.engine.cache.store import Store
from djreview.engine.incremental import Incremental
from djreview.engine.parallel import PATTERNS, RuleSet
from djreview.engine.registry import load_registry
from djreview.engine.runner import load_project, rule_set, select_rules
from djreview.model import Location


def check(tree: Path, *args: str) -> str:
    result = CliRunner().invoke(
        main, ["check", str(tree), "--format", "sarif", "-j", "1", *args], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_cached_rerun_prints_what_a_fresh_run_prints(fixture_project: Path, tmp_path: Path) -> None:
    fresh = check(fixture_project, "--no-cache")
    cache = tmp_path / "cache"
    assert check(fixture_project, "--cache-dir", str(cache)) == fresh
    assert check(fixture_project, "--cache-dir", str(cache)) == fresh
    assert any((cache / "v1").rglob("*"))


class FileOnlyCheck(Check):
    """A check that reads nothing but its file: its parts are cached with the file."""

    id = "DJR999"
    name = "test-file-only"
    message = "module {name}"
    category = "performance"

    def check_file(self, file, project):
        yield self.finding(Location(file.rel, 1), name=file.rel)


def incremental(tree: Path, cache: Path, *extra: Check) -> Incremental:
    config = Config(cache_dir=str(cache))
    registry = load_registry()
    project = load_project([tree], config)
    rules = rule_set(registry, select_rules(registry, config))
    rules = RuleSet(rules.yaml_rules, rules.checks + extra)
    return Incremental(project, rules, store=Store(cache))


def test_file_parts_are_stored_and_project_parts_are_not(library: Path, tmp_path: Path) -> None:
    # An unchanged tree is answered by the whole-run entry (tested through the
    # CLI above); below it, per-file parts that read the whole project are not
    # stored: they could only be reused while no file changed.
    cache = tmp_path / "cache"
    first = incremental(library, cache).analyse()
    runner = incremental(library, cache)
    second = runner.analyse()
    per_project = sum(
        1
        for file in runner.project.files
        for source in runner.rules.sources(file)
        if source != PATTERNS
        and next(c for c in runner.rules.checks if c.id == source).depends == "project"
    )
    assert per_project > 0
    assert second.fresh_parts == per_project
    assert second.reused_parts == first.fresh_parts - per_project
    assert (second.raw, second.notes) == (first.raw, first.notes)


def test_an_edit_rewrites_only_the_changed_files_entry(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    incremental(library, cache).analyse()
    entries = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    views = library / "library" / "views.py"
    views.write_text(views.read_text() + "\n\ndef extra(request):\n    return None\n")
    runner = incremental(library, cache)
    runner.analyse()
    rewritten = [p for p, mtime in entries.items() if p.exists() and p.stat().st_mtime_ns != mtime]
    # Each whole-project check's entry, and no unchanged file's (the edited
    # file has a new digest, so a new entry).
    assert len(rewritten) == len(runner.rules.checks)
    assert len(entries) > len(runner.rules.checks) + 2


def test_a_changed_file_reanalyses_itself_and_what_depends_on_the_project(
    library: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = incremental(library, cache, FileOnlyCheck()).analyse()
    views = library / "library" / "views.py"
    views.write_text(views.read_text() + "\n\ndef extra(request):\n    return None\n")
    runner = incremental(library, cache, FileOnlyCheck())
    again = runner.analyse()
    # Unchanged files keep their pattern parts and the parts of checks that read
    # only their file; every part that reads the project (or the changed file) runs again.
    unchanged = [f for f in runner.project.files if f.rel != "library/views.py"]
    kept = sum(
        1
        for file in unchanged
        for source in runner.rules.sources(file)
        if source == PATTERNS
        or next(c for c in runner.rules.checks if c.id == source).depends == "file"
    )
    assert kept >= 2 * 2
    assert again.reused_parts == kept
    every = sum(len(runner.rules.sources(f)) for f in runner.project.files)
    assert again.fresh_parts == every + len(runner.rules.checks) - kept
    assert first.reused_parts == 0
    assert check(library, "--cache-dir", str(cache)) == check(library, "--no-cache")


def test_editing_models_invalidates_the_view_findings_that_depend_on_them(
    library: Path, tmp_path: Path
) -> None:
    cache = ["--cache-dir", str(tmp_path / "cache")]
    before = check(library, *cache)
    assert '"ruleId": "DJR201"' in before and "library/views.py" in before
    models = library / "library" / "models.py"
    models.write_text(models.read_text().replace("max_length=20)", "max_length=20, db_index=True)"))
    after = check(library, *cache)
    assert '"ruleId": "DJR201"' not in after
    assert after == check(library, "--no-cache")


def test_changing_the_rule_selection_does_not_reuse_other_rules_findings(
    library: Path, tmp_path: Path
) -> None:
    cache = ["--cache-dir", str(tmp_path / "cache")]
    check(library, *cache)
    only_security = check(library, *cache, "--select", "security")
    assert only_security == check(library, "--no-cache", "--select", "security")
    assert '"ruleId": "DJR201"' not in only_security
