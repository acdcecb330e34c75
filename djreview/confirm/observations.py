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
    # The innermost project place (where a dynamic-only finding is reported).
    call_site: Site
    # Every project place on the stack, innermost first.
    stack: tuple[Site, ...]


@dataclass(frozen=True, slots=True)
class TestRun:
    """One test's repeats, and how many rows were built under each project place."""

    test: str
    repeats: tuple[Repeat, ...]
    # Model instances created while the place was on the stack (a loop's rows).
    rows: tuple[tuple[Site, int], ...]
    # Queries issued while the place was on the stack.
    queries: tuple[tuple[Site, int], ...]


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
                "call_site": _site(r.call_site),
                "stack": [_site(s) for s in r.stack],
            }
            for r in run.repeats
        ],
        "rows": [[_site(site), count] for site, count in run.rows],
        "queries": [[_site(site), count] for site, count in run.queries],
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
            call_site=_unsite(r["call_site"]),
            stack=tuple(_unsite(s) for s in r["stack"]),
        )
        for r in data["repeats"]
    )
    rows = tuple((_unsite(site), int(count)) for site, count in data["rows"])
    queries = tuple((_unsite(site), int(count)) for site, count in data["queries"])
    return TestRun(test, repeats, rows, queries)
