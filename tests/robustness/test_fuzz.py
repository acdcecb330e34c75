"""Fuzzing: the engine never raises, and no rule crashes, on any valid module or on
mutilated versions of the fixture files.

Bounded for CI; `DJREVIEW_FUZZ_EXAMPLES=2000 pytest tests/robustness/test_fuzz.py`
runs a long campaign.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from djreview.config import Config
from djreview.engine.registry import load_registry
from djreview.engine.runner import analyse, select_rules
from djreview.model import Notification
from djreview.source.file import SourceFile, UnreadableFile, decode_source
from djreview.source.project import Project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("DJREVIEW_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


@cache
def corpus() -> tuple[tuple[str, bytes], ...]:
    """Fixture files and rule samples: realistic Django code to mutilate."""
    files = sorted(
        p
        for folder in ("fixtures", "rules")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".py", ".html") and p.is_file()
    )
    return tuple((p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in files)


def crashes(rel: str, data: bytes) -> list[Notification]:
    """Analyse one file as a project of its own; return the rule crashes it caused."""
    kind = "template" if rel.endswith(".html") else "python"
    try:
        text = decode_source(data, kind)
    except UnreadableFile:
        return []  # reported as skipped by a real run: not a crash
    file = SourceFile(ROOT / rel, rel, kind, text)
    project = Project(ROOT, [file], Config(per_file_timeout=60))
    registry = load_registry()
    analyse(project, registry, select_rules(registry, project.config))
    return [note for note in project.notifications if note.level == "error"]


@FUZZ
@given(source=hypothesmith.from_grammar())
def test_no_rule_crashes_on_any_valid_module(source: str) -> None:
    assert crashes("app/views.py", source.encode("utf-8", "surrogatepass")) == []


@FUZZ
@given(source=hypothesmith.from_node())
def test_no_rule_crashes_on_any_valid_statement_tree(source: str) -> None:
    assert crashes("app/models.py", source.encode("utf-8", "surrogatepass")) == []


@st.composite
def mutilated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture file, truncated, with flipped bytes, lost or doubled lines."""
    rel, data = draw(st.sampled_from(corpus()))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "delete", "duplicate", "insert"]))
        lines = data.splitlines(keepends=True)
        if kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif kind == "delete" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = b"".join(lines)
        elif kind == "duplicate" and lines:
            at = draw(st.integers(0, len(lines) - 1))
            data = b"".join(lines[:at] + [lines[at]] + lines[at:])
        else:
            at = draw(st.integers(0, len(data)))
            data = (
                data[:at]
                + draw(
                    st.sampled_from(
                        [b"(", b"{%", b"\t", b"\x00", b"\xff", b"    ", b":", b"'''", b"\r"]
                    )
                )
                + data[at:]
            )
    return rel, data


@FUZZ
@given(case=mutilated())
def test_no_rule_crashes_on_mutilated_fixture_files(case: tuple[str, bytes]) -> None:
    rel, data = case
    assert crashes(rel, data) == []
