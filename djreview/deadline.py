"""A per-file time budget: SIGALRM interrupts Python code that runs too long.

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


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded inside the block once `seconds` have passed (0: no limit)."""
    if seconds <= 0 or not _can_alarm():
        yield
        return
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise BudgetExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
