"""Records every query of one test with its project call sites (inside the user's tests).

Installed per test by the pytest plugin: a `connection.execute_wrapper` on
every database connection, a `post_init` receiver that counts the rows each
project place built, and a `request_started` receiver that separates test
client requests. Recording never changes a query: the wrapper calls
`execute` with the same arguments and returns its result untouched, and any
error inside the recording itself is kept aside for the report instead of
reaching the test.
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from djreview.confirm.observations import Repeat, TestRun
from djreview.confirm.sites import Site, Stack, StackReader
from djreview.confirm.sql import fingerprint, is_read

_SQL_SAMPLE = 300
_MAX_ERRORS = 20


@dataclass(slots=True)
class _Group:
    """Queries of one shape from one place in one loop pass."""

    fingerprint: str
    sql: str
    stack: Stack
    count: int = 0


@dataclass(slots=True)
class _TestState:
    test: str
    groups: dict[tuple[object, ...], _Group] = field(default_factory=dict)
    rows: Counter[Site] = field(default_factory=Counter)
    request: int = 0
    # The frame the test's code called for the last query, and how many such
    # calls the test made: a test calling a project function in its own loop
    # is no N+1 of that function. The frame is dropped when the test ends.
    callee: FrameType | None = None
    calls: int = 0


class Recorder:
    """Collects `TestRun`s; `errors` says what went wrong inside the recording."""

    def __init__(self, reader: StackReader) -> None:
        self.reader = reader
        self.runs: list[TestRun] = []
        self._errors: Counter[str] = Counter()
        self._state: _TestState | None = None

    @property
    def errors(self) -> list[str]:
        """What went wrong inside the recording, each kind once with its count."""
        return [text if n == 1 else f"{text} ({n} times)" for text, n in self._errors.items()]

    def _error(self, text: str) -> None:
        if text in self._errors or len(self._errors) < _MAX_ERRORS:
            self._errors[text] += 1

    @contextlib.contextmanager
    def recording(self, test: str) -> Iterator[None]:
        """Record the queries of one test on every configured connection."""
        from django.core.signals import request_started
        from django.db import connections
        from django.db.models.signals import post_init

        self._state = _TestState(test)
        with contextlib.ExitStack() as stack:
            try:
                for connection in _all_connections(connections):
                    stack.enter_context(connection.execute_wrapper(self._execute))
                post_init.connect(self._row_built, weak=False, dispatch_uid=id(self))
                stack.callback(post_init.disconnect, dispatch_uid=id(self))
                request_started.connect(self._request, weak=False, dispatch_uid=id(self))
                stack.callback(request_started.disconnect, dispatch_uid=id(self))
            except Exception as error:  # never break the user's test
                self._error(f"{test}: recording not installed: {error!r}")
            yield
        self._finish()

    def _finish(self) -> None:
        state, self._state = self._state, None
        if state is None:
            return
        repeats = tuple(
            Repeat(
                test=state.test,
                fingerprint=group.fingerprint,
                sql=group.sql,
                count=group.count,
                read=is_read(group.sql),
                stack=group.stack.sites,
            )
            for group in state.groups.values()
            if group.count >= 2 and group.stack.sites and not group.stack.in_test_code
        )
        self.runs.append(
            TestRun(
                test=state.test,
                repeats=repeats,
                rows=tuple(sorted(state.rows.items())),
            )
        )

    def _execute(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        try:
            self._note_query(sql)
        except Exception as error:  # never break the user's test
            self._error(f"query not recorded: {error!r}")
        return execute(sql, params, many, context)

    def _note_query(self, sql: str) -> None:
        state = self._state
        if state is None:
            return
        stack, callee = self.reader.read_call(sys._getframe(2))
        if callee is not state.callee:
            state.callee = callee
            state.calls += 1
        shape = fingerprint(sql)
        # Same shape, same places, same loop pass, same request, same call
        # from the test's code: one N+1 group.
        key = (shape, stack.sites, stack.passes, state.request, state.calls)
        group = state.groups.get(key)
        if group is None:
            group = state.groups[key] = _Group(shape, sql[:_SQL_SAMPLE], stack)
        group.count += 1

    def _row_built(self, sender: Any, **kwargs: Any) -> None:
        state = self._state
        if state is None:
            return
        try:
            stack = self.reader.read(sys._getframe(1))
            state.rows.update(set(stack.sites))
        except Exception as error:  # never break the user's test
            self._error(f"row not counted: {error!r}")

    def _request(self, sender: Any, **kwargs: Any) -> None:
        if self._state is not None:
            self._state.request += 1


def _all_connections(handler: Any) -> list[Any]:
    """Every configured connection, opened or not (Django < 4.1 has no flag)."""
    try:
        return list(handler.all(initialized_only=False))
    except TypeError:
        return list(handler.all())
