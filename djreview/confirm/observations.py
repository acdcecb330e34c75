"""What one test run showed: repeated queries and the places that ran, as plain data.

These values are written to the confirmation report by the pytest plugin and
read back by `djreview check --confirmations`, so they encode to and from
JSON values and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from djreview.confirm.sites import Site


@dataclass(frozen=True, slots=True)
class Repeat:
    """The same query shape issued `count` times from one place in one loop pass."""

    test: str
    fingerprint: str
    sql: str
    count: int
    read: bool
    # Every project place on the stack, innermost first (never empty).
    stack: tuple[Site, ...]

    @property
    def call_site(self) -> Site:
        """The innermost project place, where a dynamic-only finding is reported."""
        return self.stack[0]


@dataclass(frozen=True, slots=True)
class TestRun:
    """One test's repeats, and how many rows were built under each project place."""

    test: str
    repeats: tuple[Repeat, ...]
    # Model instances created while the place was on the stack (a loop's rows).
    rows: tuple[tuple[Site, int], ...]


def _site(site: Site) -> list[Any]:
    return [site.path, site.line]


def _unsite(data: list[Any]) -> Site:
    path, line = data
    return Site(str(path), int(line))


def encode_run(run: TestRun) -> dict[str, Any]:
    """A test run as JSON values."""
    return {
        "test": run.test,
        "repeats": [
            {
                "fingerprint": r.fingerprint,
                "sql": r.sql,
                "count": r.count,
                "read": r.read,
                "stack": [_site(s) for s in r.stack],
            }
            for r in run.repeats
        ],
        "rows": [[_site(site), count] for site, count in run.rows],
    }


def decode_run(data: dict[str, Any]) -> TestRun:
    """The inverse of `encode_run`; raises KeyError/TypeError/ValueError on bad data."""
    test = str(data["test"])
    repeats = tuple(
        Repeat(
            test=test,
            fingerprint=str(r["fingerprint"]),
            sql=str(r["sql"]),
            count=int(r["count"]),
            read=bool(r["read"]),
            stack=tuple(_unsite(s) for s in r["stack"]),
        )
        for r in data["repeats"]
    )
    rows = tuple((_unsite(site), int(count)) for site, count in data["rows"])
    return TestRun(test, repeats, rows)
