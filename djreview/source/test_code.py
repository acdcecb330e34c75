"""Tests and migrations by path: code whose loops and writes are one-off or deliberate."""

from __future__ import annotations


def skipped(rel: str) -> bool:
    """Tests and migrations: loops there are one-off or deliberate, not request paths.

    A test package may carry the project's name (`shuup_tests/`, `tests_api/`).
    """
    parts = rel.split("/")
    name = parts[-1]
    return (
        "migrations" in parts
        or "tests" in parts
        or any(part.endswith("_tests") or part.startswith("tests_") for part in parts[:-1])
        or "test" in parts
        or "testing" in parts
        or name.startswith("test_")
        or name.endswith("_tests.py")
        or name == "tests.py"
        or name == "conftest.py"
    )
