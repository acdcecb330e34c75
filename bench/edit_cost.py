"""The cost of a one-file edit in a `djreview server` session, and its memory over many edits.

    python bench/edit_cost.py TREE --leaf REL --model REL [--edits 200] [--project-every 20]

Loads TREE as the server does (a `Session`), runs the whole-project checks
once (the first open), then edits a file in memory and times both steps the
server takes after an edit: the per-file rules on the edited file (published
at once) and the whole-project checks (published after the debounce). The
edit puts a comment line at the top of the file, so every line of it moves
(every location in it changes) while its meaning does not; a second edit
adds a statement at the end of the file's last class (its code changes, the
names it binds do not, as in most edits inside a class); a third adds a
top-level function (a new name, which every module's resolution may read).
Two files are
timed against issue 21's targets: a "leaf" (a module no whole-project
analysis reads besides its own facts; target <= 0.3 s) and a models module
(target <= 1 s). Each is timed twice (`runs`) and the best kept, the machine
being shared.

With `--edits N` it then makes N scripted edits, each to a different file
(spread over the whole tree, Python and templates), each followed by the
per-file step and every `--project-every`th also by the whole-project step,
and prints the resident memory and the session's kept facts after every
tenth edit, to show whether memory is bounded. Prints one JSON line per step.
"""

from __future__ import annotations

import argparse
import ast
import json
import resource
import time
from pathlib import Path

from djreview.config import resolve_config
from djreview.server.session import Session

TARGETS = {"leaf": 0.3, "model": 1.0}


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


def moved(rel: str, text: str, mark: str) -> str:
    """`text` with a comment line on top: every line moves down by one."""
    return f"# {mark}\n{text}" if rel.endswith(".py") else f"{{# {mark} #}}\n{text}"


def in_body(rel: str, text: str, mark: str) -> str:
    """`text` with a statement added at the end of its last top-level class: code changes,
    and every name the module binds stays (as when a developer edits inside a class)."""
    tree = ast.parse(text) if rel.endswith(".py") else None
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)] if tree else []
    if not classes or classes[-1].end_lineno is None:
        return moved(rel, text, mark)
    lines = text.split("\n")
    at = classes[-1].end_lineno
    name = "bench_" + "".join(c if c.isalnum() else "_" for c in mark)
    return "\n".join([*lines[:at], f"    {name} = {len(mark)}", *lines[at:]])


def new_name(rel: str, text: str, mark: str) -> str:
    """`text` with a new top-level function: a name other modules could now import."""
    if not rel.endswith(".py"):
        return moved(rel, text, mark)
    name = "bench_" + "".join(c if c.isalnum() else "_" for c in mark)
    return f"{text.rstrip()}\n\n\ndef {name}():\n    return {len(mark)}\n"


EDITS = {"moved": moved, "in_body": in_body, "new_name": new_name}


def edit_cost(session: Session, rel: str, kind: str, runs: int = 2) -> dict[str, float]:
    """Best seconds of the per-file and the whole-project step after an edit of `rel`."""
    text = session.files[rel].text
    per_file, project = [], []
    for run in range(runs):
        session.update(rel, EDITS[kind](rel, text, f"edit {run}"))
        per_file.append(timed(lambda: session.check_file(rel)))
        project.append(timed(session.check_project))
    session.update(rel, text)
    session.check_project()
    return {"per_file_s": min(per_file), "project_s": min(project)}


def spread(session: Session, count: int) -> list[str]:
    """`count` different files of the session, evenly spread over its sorted paths."""
    rels = sorted(session.files)
    step = max(len(rels) // max(count, 1), 1)
    return rels[::step][:count]


def main() -> None:
    """Run the benchmark on the tree given on the command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", type=Path)
    parser.add_argument("--leaf", required=True, help="a file no other file's facts read")
    parser.add_argument("--model", required=True, help="a models module (project path)")
    parser.add_argument("--edits", type=int, default=0)
    parser.add_argument("--project-every", type=int, default=20)
    args = parser.parse_args()
    config = resolve_config(None, args.tree)
    started = time.perf_counter()
    session = Session(args.tree, config)
    report(files=len(session.files), load_s=round(time.perf_counter() - started, 3))
    report(first_project_s=timed(session.check_project))
    for name, rel in (("leaf", args.leaf), ("model", args.model)):
        for kind in EDITS:
            cost = edit_cost(session, rel, kind)
            report(**{name: {"file": rel, "edit": kind, **cost, "target_s": TARGETS[name]}})
    report(edit=0, rss_mib=round(rss_mib(), 1), kept_facts=len(getattr(session, "memo", ())))
    for number, rel in enumerate(spread(session, args.edits), start=1):
        session.update(rel, moved(rel, session.files[rel].text, f"edit {number}"))
        session.check_file(rel)
        if number % args.project_every == 0:
            session.check_project()
        if number % 10 == 0:
            report(
                edit=number,
                rss_mib=round(rss_mib(), 1),
                kept_facts=len(getattr(session, "memo", ())),
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(peak_rss_mib=round(peak, 1))


def report(**values: object) -> None:
    """Print one step's numbers at once (a long run shows its progress)."""
    print(json.dumps(values), flush=True)


if __name__ == "__main__":
    main()
