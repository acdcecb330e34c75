"""CPU seconds per part of one djreview run: parse, each whole-project analysis, per-file work.

    python bench/rule_times.py TREE [more `djreview check` options]

Runs `djreview check TREE -j 1 --no-cache` in this process with timers
around each whole-project analysis build, every per-file rule group
and every whole-project check, and prints the costliest parts. Parsing is
counted where it happens (mostly inside the project model) and also on its
own line, so the lines overlap; TOTAL is the whole run.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from djreview.cli.main import main
from djreview.engine import incremental, parallel
from djreview.engine.parallel import build_analyses, run_project_check
from djreview.source import file as source

SPENT: defaultdict[str, float] = defaultdict(float)


def timed(label: Callable[..., str], function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding its CPU time to SPENT under `label(*args)`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label(*args)] += time.process_time() - start

    return wrapper


def install() -> None:
    """Wrap the engine's entry points with timers."""
    parallel._check_file = timed(lambda check, *_: check.id, parallel._check_file)
    parallel._patterns = timed(lambda *_: "pattern rules", parallel._patterns)
    project_check = timed(lambda check, *_: f"{check.id} check_project", run_project_check)
    setattr(incremental, "run_project_check", project_check)  # noqa: B010

    def build_each(project: Any, kinds: Any) -> None:
        for kind in kinds:
            label = f"{kind.__name__} build"
            timed(lambda *_, label=label: label, build_analyses)(project, [kind])

    parallel.build_analyses = build_each
    setattr(incremental, "build_analyses", build_each)  # noqa: B010
    unparsed = vars(source.SourceFile)["tree"].func
    tree = timed(lambda *_: "ast.parse (also inside the lines above)", unparsed)
    parse = functools.cached_property(tree)
    parse.__set_name__(source.SourceFile, "tree")
    setattr(source.SourceFile, "tree", parse)  # noqa: B010 - replacing a cached property


def run() -> None:
    """Time one run of the tree named on the command line and print the top parts."""
    gc.disable()  # as the runner does; here before the first tree is built
    install()
    start = time.process_time()
    with contextlib.suppress(SystemExit):
        main(["check", *sys.argv[1:], "-j", "1", "--no-cache", "-q", "--fail-on", "never"])
    print(f"TOTAL {time.process_time() - start:8.2f} s CPU")
    for label, seconds in sorted(SPENT.items(), key=lambda item: -item[1])[:25]:
        print(f"{seconds:8.2f}  {label}")


if __name__ == "__main__":
    run()
