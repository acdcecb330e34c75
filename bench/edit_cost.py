"""The cost of a one-file edit in a `djreview server` session, and its memory over many edits.

    python bench/edit_cost.py TREE [--edits 200] [--leaf REL] [--model REL]

Loads TREE as the server does (a `Session`), runs the whole-project checks
once (the first open), then edits a file in memory and times both steps the
server takes after an edit: the per-file rules on the edited file (published
at once) and the whole-project checks (published after the debounce). Two
edits are timed: a "leaf" file (a module few analyses read) and a models
module. With `--edits N` it then makes N scripted edits (alternating files,
each followed by the per-file step, every 20th also by the whole-project
step) and the resident memory after each tenth, to show whether it is
bounded. Prints one JSON line per step as it goes.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from djreview.config import resolve_config
from djreview.server.session import Session


def rss_mib() -> float:
    """Current resident memory of this process, MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(step):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    step()
    return round(time.perf_counter() - start, 3)


def edit_cost(session: Session, rel: str) -> dict[str, float]:
    """Seconds of the per-file and the whole-project step after a one-line edit of `rel`."""
    text = session.files[rel].text
    session.update(rel, text + "\n# edited\n" if rel.endswith(".py") else text + "\n")
    cost = {
        "per_file_s": timed(lambda: session.check_file(rel)),
        "project_s": timed(session.check_project),
    }
    session.update(rel, text)
    return cost


def main() -> None:
    """Run the benchmark on the tree given on the command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", type=Path)
    parser.add_argument("--leaf", required=True, help="a file few analyses read (project path)")
    parser.add_argument("--model", required=True, help="a models module (project path)")
    parser.add_argument("--edits", type=int, default=0)
    args = parser.parse_args()
    config = resolve_config(None, args.tree)
    started = time.perf_counter()
    session = Session(args.tree, config)
    report(files=len(session.files), load_s=round(time.perf_counter() - started, 3))
    report(first_project_s=timed(session.check_project))
    report(leaf=edit_cost(session, args.leaf))
    report(model=edit_cost(session, args.model))
    report(edit=0, rss_mib=round(rss_mib(), 1))
    for number in range(1, args.edits + 1):
        rel = args.leaf if number % 2 else args.model
        text = session.files[rel].text
        session.update(rel, f"{text}\n# edit {number}\n")
        session.check_file(rel)
        if number % 20 == 0:
            session.check_project()
        if number % 10 == 0:
            report(edit=number, rss_mib=round(rss_mib(), 1))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(peak_rss_mib=round(peak, 1))


def report(**values: object) -> None:
    """Print one step's numbers at once (a long run shows its progress)."""
    print(json.dumps(values), flush=True)


if __name__ == "__main__":
    main()
