"""Re-checking a patched project: re-run only what the patch can change.

Verifying one AI patch used to re-analyse the whole project. The findings of
a rule that reads only its own file (every pattern rule, and the checks that
declare `depends = "file"` and report no request-data flows) cannot change in
a file the patch left alone, so those rules run on the patched files only
and their other findings are the run's own. Every other check reads the
project (its model, the templates, other files) and runs on the patched
project as a whole; the unchanged files are the run's parsed objects, never
read or parsed again. The result equals a full re-analysis of the patched
project (tested against it on the fixtures).
"""

from __future__ import annotations

from djreview.checks.base import Check
from djreview.engine.incremental import Incremental
from djreview.engine.parallel import RuleSet, project_only
from djreview.engine.registry import Registry
from djreview.engine.runner import finish, rule_set
from djreview.model import Finding, RuleMeta
from djreview.source.project import Project


def reads_only_its_file(check: Check) -> bool:
    """Whether a check's findings in a file depend on that file alone."""
    return check.depends == "file" and not check.reports_flows and not project_only(check)


def recheck(
    patched: Project,
    registry: Registry,
    rules: list[RuleMeta],
    before: list[Finding],
    changed: frozenset[str],
) -> list[Finding]:
    """The findings a full analysis of `patched` would give, re-running only what can change."""
    selected = rule_set(registry, rules)
    local = tuple(check for check in selected.checks if reads_only_its_file(check))
    wide = tuple(check for check in selected.checks if check not in local)
    focus = frozenset(rel for rel in changed if rel in patched.by_rel)
    budget = patched.config.per_file_timeout
    near = Incremental(patched, RuleSet(selected.yaml_rules, local), focus=focus, budget=budget)
    raw = near.analyse().raw
    if wide:
        raw += Incremental(patched, RuleSet((), wide), budget=budget).analyse().raw
    fresh = finish(raw, patched, rules)
    local_ids = {rule.meta.id for rule in selected.yaml_rules} | {check.id for check in local}
    kept = [f for f in before if f.rule_id in local_ids and f.location.path not in focus]
    return sorted([*kept, *fresh], key=Finding.sort_key)
