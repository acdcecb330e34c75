"""The command ends without interpreter teardown, yet loses no output and keeps its exit codes."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from djreview.config import Config
from djreview.engine.runner import run

ROOT = Path(__file__).resolve().parents[2]


def _djreview(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "djreview", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_a_piped_report_is_complete_and_the_exit_code_kept() -> None:
    done = _djreview("check", "fixtures/blog", "--no-cache", "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)  # the whole report reached the pipe
    assert len(report["findings"]) > 10


def test_clean_and_usage_exit_codes_survive() -> None:
    assert _djreview("rules").returncode == 0
    bad = _djreview("check", "--format", "nonsense")
    assert bad.returncode == 2 and "nonsense" in bad.stderr


def test_a_closed_pipe_ends_quietly() -> None:
    shell = f"{sys.executable} -m djreview check fixtures/blog --no-cache | head -c 10"
    done = subprocess.run(
        shell, shell=True, capture_output=True, text=True, cwd=ROOT, timeout=300, check=False
    )
    assert len(done.stdout) == 10
    assert "Traceback" not in done.stderr


def test_a_run_restores_the_collector() -> None:
    assert gc.isenabled()
    run([ROOT / "fixtures" / "shop"], Config())
    assert gc.isenabled()
    gc.disable()
    try:
        run([ROOT / "fixtures" / "shop"], Config())
        assert not gc.isenabled()
    finally:
        gc.enable()
