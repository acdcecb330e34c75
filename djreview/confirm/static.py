"""The static side of the join: djreview's N+1 findings on the tested tree.

djreview runs in a child process, started when the test session starts so
that it overlaps the tests, and reports JSON; the result cache makes a
repeated run cheap. A child process keeps the analysis out of the user's
test process (its memory, its garbage-collector settings, its crashes).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from djreview.confirm.join import StaticFinding

# The N+1 rules: the category every one of them belongs to.
N_PLUS_ONE_SELECTION = "performance"
DYNAMIC_ONLY_RULE = "DJR140"


class StaticRun:
    """One background `djreview check` of `target`, read with `findings()`."""

    def __init__(self, target: Path, root: Path) -> None:
        self.root = root
        command = [
            sys.executable,
            "-m",
            "djreview",
            "check",
            str(target),
            "--format",
            "json",
            "--fail-on",
            "never",
            "--select",
            N_PLUS_ONE_SELECTION,
            # The dynamic-only rule reads the previous report: not static evidence.
            "--ignore",
            DYNAMIC_ONLY_RULE,
        ]
        self._process = subprocess.Popen(
            command,
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )

    def findings(self, timeout: float = 600.0) -> list[StaticFinding]:
        """The static findings; RuntimeError with djreview's own words on failure."""
        try:
            out, err = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            self._process.kill()
            self._process.communicate()
            raise RuntimeError(f"djreview check took longer than {timeout:.0f} s") from error
        if self._process.returncode not in (0, 1):
            last = (err.strip().splitlines() or ["no message"])[-1]
            raise RuntimeError(f"djreview check exited {self._process.returncode}: {last}")
        try:
            data = json.loads(out)
            return [
                StaticFinding.from_json(item, self.root)
                for item in data["findings"]
                if not item.get("suppressed")
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise RuntimeError(f"djreview check printed no readable report: {error!r}") from error

    def stop(self) -> None:
        """End the child process if it is still running."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
