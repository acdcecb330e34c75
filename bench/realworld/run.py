"""Run djreview on the real-defect benchmark: recall on parents, false positives on fixes.

The case lists (bench/realworld/{nplusone,indexes}/*.jsonl, format in FORMAT.md)
name a fix commit and its parent in a public Django project. This script fetches
nothing: it is given bare git dirs, exports each needed tree once with
`git archive`, runs djreview on it in a subprocess and matches the findings
against the recorded sites.

    python bench/realworld/run.py --mirrors /work/.mirror --family nplusone
    python bench/realworld/run.py --git-dir mozilla/pontoon=/path/repo.git --case pontoon-n1-003
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FAMILIES = {"nplusone": "nplusone", "index": "indexes"}  # family -> case folder
SELECT = {"nplusone": "DJR1", "index": "DJR2"}  # family -> djreview --select
# Rules that report at the queryset (template, serializer, admin): a finding on
# the queryset line counts for them.
QUERYSET_RULE_PREFIXES = ("DJR11", "DJR12", "DJR13")
LINE_SLACK = 3
MAX_NEARBY = 10
DEFAULT_TIMEOUT = 1800.0
# What djreview reads, for mirrors whose large blobs are absent.
SOURCE_PATTERNS = (
    *("*.py", "*.html", "*.htm", "*.djhtml", "*.txt", "*.xml", "*.jinja", "*.jinja2"),
    *(".gitignore", "*.toml", "*.cfg", "*.ini"),
)


@dataclass(frozen=True)
class Site:
    """One recorded line of a case: repository-relative path, line, role."""

    path: str
    line: int
    role: str


@dataclass(frozen=True)
class Case:
    """One real defect: the fix commit, its parent and where the defect lives."""

    id: str
    repo: str
    family: str
    kind: str
    fix: str
    parent: str
    root: str
    description: str
    parent_sites: tuple[Site, ...]
    fix_sites: tuple[Site, ...]
    model: str
    fields: tuple[str, ...]
    # Findings on the fix commit judged by hand to be another defect, still present
    # there (rule, path, primary line): not the fixed one reported again.
    fix_other: frozenset[tuple[str, str, int]] = frozenset()


@dataclass(frozen=True)
class Loc:
    """A finding's location (primary or related), repository-relative."""

    path: str
    line: int


@dataclass(frozen=True)
class Found:
    """The parts of a djreview finding the matching needs."""

    rule: str
    locations: tuple[Loc, ...]
    model: str
    fields: tuple[str, ...]


@dataclass
class Result:
    """What the benchmark saw for one case."""

    id: str
    repo: str
    family: str
    kind: str
    status: str  # "ok" or "skipped"
    reason: str = ""
    hit_parent: bool = False
    # Stricter: a matching finding whose own location is at a per-row site.
    hit_parent_primary: bool = False
    reported_on_fix: bool = False
    # Stricter: a finding on the fix whose own location is at a fixed per-row site. A
    # related location near a fix site is often another, still unfixed defect's resolver.
    reported_on_fix_primary: bool = False
    # Reported on the fix only by findings judged another, still-present defect (fix_other).
    fix_other_only: bool = False
    parent_rules: list[str] = field(default_factory=list)
    fix_rules: list[str] = field(default_factory=list)
    # On a miss, what djreview did report in the files of the parent sites ("DJR101 path:line").
    parent_nearby: list[str] = field(default_factory=list)


class Skip(Exception):
    """A case that cannot be evaluated (missing git dir or commit, failed run)."""


def _sites(raw: Iterable[dict[str, Any]]) -> tuple[Site, ...]:
    return tuple(Site(str(s["path"]), int(s["line"]), str(s["role"])) for s in raw)


def load_cases(base: Path) -> list[Case]:
    """Every case under `base`/nplusone and `base`/indexes, in file order."""
    cases: list[Case] = []
    for folder in FAMILIES.values():
        for path in sorted((base / folder).glob("*.jsonl")):
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not text.strip():
                    continue
                try:
                    raw = json.loads(text)
                    cases.append(
                        Case(
                            id=raw["id"],
                            repo=raw["repo"],
                            family=raw["family"],
                            kind=raw["kind"],
                            fix=raw["fix"],
                            parent=raw["parent"],
                            root=raw.get("root", "").strip("/"),
                            description=raw.get("description", ""),
                            parent_sites=_sites(raw["parent_sites"]),
                            fix_sites=_sites(raw["fix_sites"]),
                            model=raw.get("model", ""),
                            fields=tuple(raw.get("fields", [])),
                            fix_other=frozenset(
                                (str(o["rule"]), str(o["path"]), int(o["line"]))
                                for o in raw.get("fix_other", [])
                            ),
                        )
                    )
                except (KeyError, TypeError, ValueError) as error:
                    sys.exit(f"{path}:{number}: bad case ({error})")
    return cases


def git_dirs(pairs: Sequence[str], mirrors: Path | None, repos: Iterable[str]) -> dict[str, Path]:
    """owner/name -> git dir, from `--git-dir` pairs first, then the mirrors folder."""
    found: dict[str, Path] = {}
    for pair in pairs:
        name, sep, path = pair.partition("=")
        if not sep:
            sys.exit(f"--git-dir wants owner/name=PATH, got {pair!r}")
        found[name] = Path(path)
    if mirrors is not None:
        for repo in repos:
            candidate = mirrors / repo.replace("/", "+") / "repo"
            if repo not in found and candidate.is_dir():
                found[repo] = candidate
    return found


def _git(git_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False)


def _archive(git_dir: Path, sha: str, paths: Sequence[str], dest: Path) -> str:
    """Extract `git archive sha paths` into `dest`; the first error line, or "" on success."""
    archive = subprocess.Popen(
        ["git", "--literal-pathspecs", f"--git-dir={git_dir}", "archive", sha, "--", *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    untar = subprocess.run(
        ["tar", "-x", "-C", str(dest)], stdin=archive.stdout, capture_output=True
    )
    assert archive.stdout is not None and archive.stderr is not None
    archive.stdout.close()
    error = archive.stderr.read().decode(errors="replace")
    if archive.wait() == 0 and untar.returncode == 0:
        return ""
    lines = (error or untar.stderr.decode(errors="replace")).strip().splitlines()
    return lines[0] if lines else "error"


def _archive_sources(git_dir: Path, sha: str, root: str, dest: Path) -> str:
    """Extract only the files djreview reads, in chunks that fit a command line."""
    listing = _git(
        git_dir, "ls-tree", "-r", "-z", "--name-only", sha, "--", *([root] if root else [])
    )
    names = listing.stdout.decode(errors="surrogateescape").split("\0")
    wanted = [
        n
        for n in names
        if n and any(fnmatch.fnmatchcase(n.rsplit("/", 1)[-1], pat) for pat in SOURCE_PATTERNS)
    ]
    for start in range(0, len(wanted), 1000):
        error = _archive(git_dir, sha, wanted[start : start + 1000], dest)
        if error:
            return error
    return ""


class Trees:
    """Exports trees once (cached by commit and root under `work`) and runs djreview once."""

    def __init__(self, work: Path, jobs: int, timeout: float) -> None:
        self.work = work
        self.jobs = jobs
        self.timeout = timeout
        self._findings: dict[tuple[str, str, str], list[Found]] = {}

    def export(self, git_dir: Path, sha: str, root: str) -> Path:
        """The folder holding commit `sha` (only `root` when set), exported once."""
        dest = self.work / (sha + ("-" + root.replace("/", "_") if root else ""))
        if dest.is_dir():
            return dest
        if _git(git_dir, "cat-file", "-e", f"{sha}^{{commit}}").returncode != 0:
            raise Skip(f"commit {sha[:12]} not in {git_dir}")
        self.work.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".export-", dir=self.work))
        error = _archive(git_dir, sha, [root] if root else [], partial)
        if error and "invalid object" in error:
            # Mirrors may lack their largest blobs (media, fixtures): export only
            # the kinds of files djreview reads.
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            print(f"  {sha[:12]}: blobs missing, exporting source files only", file=sys.stderr)
            error = _archive_sources(git_dir, sha, root, partial)
        if error:
            shutil.rmtree(partial, ignore_errors=True)
            raise Skip(f"cannot export {sha[:12]}:{root or '.'} ({error})")
        try:
            partial.rename(dest)
        except OSError:  # another run exported the same tree meanwhile
            shutil.rmtree(partial, ignore_errors=True)
        return dest

    def findings(self, git_dir: Path, sha: str, root: str, family: str) -> list[Found]:
        """djreview's findings of `family` on the tree, with repository-relative paths."""
        key = (sha, root, family)
        if key not in self._findings:
            tree = self.export(git_dir, sha, root)
            self._findings[key] = self._run(tree, root, family)
        return self._findings[key]

    def _run(self, tree: Path, root: str, family: str) -> list[Found]:
        target = tree / root if root else tree
        command = [sys.executable, "-m", "djreview", "check", str(target), "--format", "json"]
        command += [
            "--no-cache",
            "--fail-on",
            "never",
            "--select",
            SELECT[family],
            "-j",
            str(self.jobs),
        ]
        print(f"  djreview on {tree.name} ({family}) ...", file=sys.stderr, flush=True)
        try:
            # cwd=tree: outside a git checkout djreview reports paths relative to the cwd.
            out = subprocess.run(
                command, cwd=tree, capture_output=True, timeout=self.timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise Skip(f"djreview timed out after {self.timeout:.0f}s on {tree.name}") from None
        try:
            report = json.loads(out.stdout)
        except ValueError:
            last = out.stderr.decode(errors="replace").strip().splitlines()
            raise Skip(
                f"djreview failed on {tree.name}: {last[-1] if last else out.returncode}"
            ) from None
        prefix = _report_prefix(tree)
        return [_found(raw, prefix) for raw in report.get("findings", [])]


def _report_prefix(tree: Path) -> str:
    """What djreview puts before repository paths: the tree's place in an enclosing git checkout."""
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=tree, capture_output=True, text=True
    )
    if top.returncode != 0 or not top.stdout.strip():
        return ""
    rel = os.path.relpath(tree.resolve(), Path(top.stdout.strip()).resolve())
    return "" if rel == "." else Path(rel).as_posix() + "/"


def _found(raw: dict[str, Any], prefix: str) -> Found:
    places = [
        raw["location"],
        *(r["location"] for r in raw.get("related", []) if r.get("location")),
    ]
    locations = tuple(
        Loc(str(p["path"]).removeprefix(prefix), int(p["start_line"]))
        for p in places
        if p.get("path")
    )
    props = raw.get("properties") or {}
    fields = tuple(f for f in str(props.get("fields", "")).split(",") if f)
    return Found(str(raw["rule_id"]), locations, str(props.get("model", "")), fields)


def matches(case: Case, sites: Sequence[Site], finding: Found, primary_only: bool = False) -> bool:
    """Whether `finding` reports the case's defect at `sites` (FORMAT.md, Matching).

    `primary_only`: a stricter reading for analysis, the finding's own location
    within the slack of a per-row site (not a related location, not the queryset).
    """
    if case.family == "index":
        model = finding.model
        named = model == case.model or model.endswith("." + case.model)
        return bool(case.fields) and named and own_need(case.fields, finding.fields)
    if not finding.rule.startswith("DJR1"):
        return False
    queryset_rule = finding.rule.startswith(QUERYSET_RULE_PREFIXES)
    for site in sites:
        for loc in finding.locations[:1] if primary_only else finding.locations:
            if loc.path != site.path:
                continue
            if site.role != "queryset" and abs(loc.line - site.line) <= LINE_SLACK:
                return True
            at_queryset = site.role == "queryset" and loc.line == site.line
            if at_queryset and queryset_rule and not primary_only:
                return True
    return False


def own_need(fixed: Sequence[str], found: Sequence[str]) -> bool:
    """Whether an index on `found` is the one the fix adds on `fixed` (FORMAT.md, Matching).

    It holds at least two of the fix's columns (its one column, for a
    one-column fix), or only columns of the fix, its first among them (a
    `date` index for a fix adding `(date, locale)`). A need that shares only
    the fix's leading key (`(thread, posted_on)` for `(thread, id)`) is
    another query's index, not the fixed one.
    """
    shared = set(fixed) & set(found)
    if len(shared) >= min(2, len(fixed)):
        return True
    return bool(found) and set(found) <= set(fixed) and fixed[0] in found


def _judged_other(case: Case, finding: Found) -> bool:
    """Whether `finding` on the fix is one the case lists as another, still-present defect."""
    if not finding.locations:
        return False
    primary = finding.locations[0]
    return (finding.rule, primary.path, primary.line) in case.fix_other


def evaluate(case: Case, git_dir: Path | None, trees: Trees) -> Result:
    """Run one case: hit on the parent, still reported on the fix."""
    result = Result(case.id, case.repo, case.family, case.kind, "ok")
    if git_dir is None or not git_dir.is_dir():
        result.status, result.reason = "skipped", f"no git dir for {case.repo}"
        return result
    try:
        found = trees.findings(git_dir, case.parent, case.root, case.family)
        parent = [f for f in found if matches(case, case.parent_sites, f)]
        near_fix = [
            f
            for f in trees.findings(git_dir, case.fix, case.root, case.family)
            if matches(case, case.fix_sites, f)
        ]
        fixed = [f for f in near_fix if not _judged_other(case, f)]
    except Skip as skip:
        result.status, result.reason = "skipped", str(skip)
        return result
    result.hit_parent, result.parent_rules = bool(parent), sorted({f.rule for f in parent})
    result.hit_parent_primary = any(matches(case, case.parent_sites, f, True) for f in parent)
    result.reported_on_fix, result.fix_rules = bool(fixed), sorted({f.rule for f in fixed})
    result.fix_other_only = bool(near_fix) and not fixed
    result.reported_on_fix_primary = any(matches(case, case.fix_sites, f, True) for f in fixed)
    if not parent:
        files = {site.path for site in case.parent_sites}
        nearby = {
            f"{f.rule} {f.locations[0].path}:{f.locations[0].line}"
            for f in found
            if f.locations and any(loc.path in files for loc in f.locations)
        }
        result.parent_nearby = sorted(nearby)[:MAX_NEARBY]
    return result


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.2f}" if whole else "0/0"


def summary(results: Sequence[Result]) -> str:
    """Recall per family and kind, false positives on fixes per family, and the case table."""
    lines: list[str] = []
    done = [r for r in results if r.status == "ok"]
    for family in sorted({r.family for r in results}):
        rows = [r for r in done if r.family == family]
        skipped = sum(1 for r in results if r.family == family and r.status != "ok")
        lines.append(f"{family}: {len(rows)} cases evaluated, {skipped} skipped")
        lines.append(f"  recall            {_ratio(sum(r.hit_parent for r in rows), len(rows))}")
        strict = sum(r.hit_parent_primary for r in rows)
        lines.append(f"  (primary location at a per-row site: {_ratio(strict, len(rows))})")
        for kind in sorted({r.kind for r in rows}):
            of_kind = [r for r in rows if r.kind == kind]
            lines.append(
                f"    {kind:<16}{_ratio(sum(r.hit_parent for r in of_kind), len(of_kind))}"
            )
        lines.append(
            f"  FP on fixed code  {_ratio(sum(r.reported_on_fix for r in rows), len(rows))}"
        )
        other = sum(r.fix_other_only for r in rows)
        if other:
            raw = sum(r.reported_on_fix or r.fix_other_only for r in rows)
            counted = _ratio(raw, len(rows))
            lines.append(f"  (counting findings judged another, still-present defect: {counted})")
        strict_fp = sum(r.reported_on_fix_primary for r in rows)
        lines.append(
            f"  (primary location at a fixed per-row site: {_ratio(strict_fp, len(rows))})"
        )
    lines.append("")
    width = max((len(r.id) for r in results), default=2)
    lines.append(f"{'id':<{width}}  {'kind':<13} {'parent':<7} {'fix':<7} rules / reason")
    for r in results:
        if r.status != "ok":
            lines.append(f"{r.id:<{width}}  {r.kind:<13} {'skip':<7} {'skip':<7} {r.reason}")
            continue
        rules = ",".join(sorted(set(r.parent_rules) | set(r.fix_rules)))
        hit = "hit" if r.hit_parent else "miss"
        fix = "FP" if r.reported_on_fix else "other" if r.fix_other_only else "clean"
        lines.append(f"{r.id:<{width}}  {r.kind:<13} {hit:<7} {fix:<7} {rules}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the selected cases and print (and optionally write) the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--git-dir", action="append", default=[], metavar="OWNER/NAME=PATH")
    parser.add_argument("--mirrors", type=Path, help="folder of OWNER+NAME/repo bare git dirs")
    parser.add_argument(
        "--cases", type=Path, default=HERE, help="folder holding nplusone/ and indexes/"
    )
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append")
    parser.add_argument("--kind", action="append")
    parser.add_argument("--case", action="append", metavar="ID")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "djreview-realworld"
    )
    parser.add_argument("--jobs", type=int, default=1, help="djreview -j (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per djreview run"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the per-case results here")
    args = parser.parse_args(argv)

    cases = [
        c
        for c in load_cases(args.cases)
        if (not args.family or c.family in args.family)
        and (not args.kind or c.kind in args.kind)
        and (not args.case or c.id in args.case)
    ]
    if not cases:
        print("no cases selected", file=sys.stderr)
        return 1
    dirs = git_dirs(args.git_dir, args.mirrors, {c.repo for c in cases})
    trees = Trees(args.work, args.jobs, args.timeout)
    results: list[Result] = []
    for case in cases:
        result = evaluate(case, dirs.get(case.repo), trees)
        if result.status != "ok":
            print(f"skipped {case.id}: {result.reason}", file=sys.stderr)
        results.append(result)
    print(summary(results))
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) for r in results], indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
