"""Run `djreview` as an unprivileged user, so unreadable files are unreadable even for root.

Root ignores file modes, and the unprivileged user cannot start this
interpreter (it lives under /root). So this script starts as root, runs the
command once with its output discarded (importing every module the run
needs), drops to uid/gid 65534 (nobody) with os.setgid/os.setuid, and runs the
command again for real. Not root: it runs the command once, as is.

    python as_reader.py djreview-arguments...
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

from djreview.cli.main import main

NOBODY = 65534


def _run(arguments: list[str]) -> int:
    try:
        main(arguments, prog_name="djreview")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if os.geteuid() == 0:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            _run(arguments)
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    sys.exit(_run(arguments))
