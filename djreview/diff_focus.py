"""Which files `--diff REF` must run the per-file rules on: the rest could report nothing kept.

`--diff` keeps a finding when its location, a related location or a flow
step is on a changed line. A per-file rule reports on its own file, so its
findings in an unchanged file are all dropped, with one exception: a flow of
request data (`Check.reports_flows`) may start or pass through a changed
file and end at a sink in an unchanged one. So the per-file rules run on the
changed files, plus, when a flow-reporting rule is selected, the sink files
of flows with a step in a changed file; the project index and the whole-
project rules (N+1, indexes, settings) still see the whole tree. The result
equals analysing everything and filtering (tested on the fixtures).
"""

from __future__ import annotations

from collections.abc import Iterable

from djreview.engine.check import Check
from djreview.engine.project import Project
from djreview.taint.index import taint_index


def diff_focus(project: Project, checks: Iterable[Check], changed: Iterable[str]) -> frozenset[str]:
    """The project files (relative paths) whose per-file findings a change can keep."""
    focus = {rel for rel in changed if rel in project.by_rel}
    if not focus or not any(check.reports_flows for check in checks):
        return frozenset(focus)
    try:
        hits = taint_index(project).analyse()  # built once; the taint rules reuse it
    except Exception:  # the rules' own calls report a broken index
        return frozenset(project.by_rel)  # cannot tell: analyse every file
    for sink_file, found in hits.items():
        if any(step.location.path in focus for hit in found.values() for step in hit.steps):
            focus.add(sink_file)
    return frozenset(focus)
