"""A per-file time budget: SIGVTALRM interrupts Python code that runs too long.

The budget counts the process's CPU time (ITIMER_VIRTUAL), not the wall
clock: on a loaded CI runner a normal file must not be cut off because other
jobs took the CPU, while a pathological file burns CPU and is stopped.
`signal.setitimer` works in the main thread of a process, which is where both
the single-process run and each pool worker analyse files. Native code (a
parser in C or Rust) is interrupted when it returns to the interpreter; the
pool's watchdog (see `parallel.py`) covers a worker that never returns.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class BudgetExceeded(BaseException):
    """The file or check ran past its time budget.

    A BaseException, so that the `except Exception` guards around each rule do
    not swallow it and let the next rule run without a budget.
    """


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_installed = False  # the handler is in place (`handler_installed` holds it)
_armed = False  # a `time_budget` block is running


def _expire(signum: int, frame: FrameType | None) -> None:
    if _armed:
        raise BudgetExceeded


@contextmanager
def handler_installed() -> Iterator[None]:
    """Keep the budget's signal handler in place for many `time_budget` blocks, then restore.

    Installing and restoring a handler costs about 10 microseconds (the
    `signal` module converts each handler to an enum and back): a session's
    whole-project step budgets 4,000 files one by one, 0.05 s of every edit.
    """
    global _installed
    if _installed or not _can_alarm():
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _expire)
    _installed = True
    try:
        yield
    finally:
        _installed = False
        signal.signal(signal.SIGVTALRM, previous)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded inside the block once `seconds` have passed (0: no limit)."""
    global _armed
    if seconds <= 0 or not _can_alarm():
        yield
        return
    with handler_installed():
        _armed = True
        signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
        try:
            yield
        finally:
            _armed = False
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
