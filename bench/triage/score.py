"""Score a djreview JSON report against hand verdicts (bench/triage/README.md).

    python bench/triage/score.py REPORT.json VERDICTS.jsonl [VERDICTS.jsonl ...]
        [--family nplusone|index|security] [--repo OWNER/NAME --commit SHA]
        [--stub] [--json]

A verdict file holds one judged finding per line::

    {"repo": "mozilla/pontoon", "commit": "<sha>", "fingerprint": "...",
     "rule_id": "DJR101", "path": "...", "line": 12,
     "verdict": "true"|"false"|"debatable", "fix": "right"|"wrong"|"none",
     "reason": "our own words"}

Findings are matched to verdicts by fingerprint and line, then by a stable
key when both sides carry one (index rules: rule_id, model and fields, which
survive a move of the finding's location), then by (rule_id, path, line),
then by fingerprint alone (for findings whose line moved). Printed: findings
in the report (of the family), judged, precision = true / judged (debatable counts
against), the share of offered fixes judged right, per rule, the findings
no verdict covers (what an "after" run still has to judge) and the verdicts
no finding matches any more (what a change removed). ``--stub`` prints the
unjudged findings as verdict lines to fill in instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FAMILIES: dict[str, tuple[str, ...]] = {
    "nplusone": ("DJR1",),
    "index": ("DJR2",),
    "security": ("DJR3", "DJR4", "DJR5", "DJR6"),
}
VERDICTS = frozenset({"true", "false", "debatable"})
FIXES = frozenset({"right", "wrong", "none"})


@dataclass(frozen=True)
class Finding:
    """One unsuppressed finding of the report."""

    fingerprint: str
    rule_id: str
    path: str
    line: int
    message: str
    has_fix: bool
    # (rule_id, model, fields) from the finding's properties; "" when it has none.
    model: str = ""
    fields: str = ""

    @property
    def place(self) -> tuple[str, str, int]:
        """The fallback match key."""
        return (self.rule_id, self.path, self.line)

    @property
    def key(self) -> tuple[str, str, str] | None:
        """The location-independent match key (index rules), if the finding has one."""
        return (self.rule_id, self.model, self.fields) if self.model else None


@dataclass(frozen=True)
class Verdict:
    """One judged finding of a verdict file."""

    repo: str
    commit: str
    fingerprint: str
    rule_id: str
    path: str
    line: int
    verdict: str
    fix: str
    reason: str
    source: str
    model: str = ""
    fields: str = ""

    @property
    def place(self) -> tuple[str, str, int]:
        """The fallback match key."""
        return (self.rule_id, self.path, self.line)

    @property
    def key(self) -> tuple[str, str, str] | None:
        """The location-independent match key, when the verdict line records one."""
        return (self.rule_id, self.model, self.fields) if self.model else None


@dataclass(frozen=True)
class Match:
    """A finding and the verdict that judges it (None: unjudged)."""

    finding: Finding
    verdict: Verdict | None


def load_report(path: Path, prefixes: tuple[str, ...]) -> list[Finding]:
    """The report's unsuppressed findings whose rule id starts with a prefix."""
    data = json.loads(path.read_text(encoding="utf-8"))
    findings = []
    for item in data["findings"]:
        if item.get("suppressed") or not item["rule_id"].startswith(prefixes):
            continue
        findings.append(
            Finding(
                fingerprint=item["fingerprint"],
                rule_id=item["rule_id"],
                path=item["location"]["path"],
                line=int(item["location"]["start_line"]),
                message=item["message"],
                has_fix=item.get("fix") is not None,
                model=str((item.get("properties") or {}).get("model", "")),
                fields=str((item.get("properties") or {}).get("fields", "")),
            )
        )
    return findings


def _verdict(entry: dict[str, Any], where: str) -> Verdict:
    for key in ("repo", "fingerprint", "rule_id", "path", "line", "verdict", "fix"):
        if key not in entry:
            raise ValueError(f"{where}: missing {key!r}")
    if entry["verdict"] not in VERDICTS:
        raise ValueError(f"{where}: verdict must be one of {sorted(VERDICTS)}")
    if entry["fix"] not in FIXES:
        raise ValueError(f"{where}: fix must be one of {sorted(FIXES)}")
    return Verdict(
        repo=entry["repo"],
        commit=entry.get("commit", ""),
        fingerprint=entry["fingerprint"],
        rule_id=entry["rule_id"],
        path=entry["path"],
        line=int(entry["line"]),
        verdict=entry["verdict"],
        fix=entry["fix"],
        reason=entry.get("reason", ""),
        source=where,
        model=str(entry.get("model", "")),
        fields=str(entry.get("fields", "")),
    )


def load_verdicts(paths: Iterable[Path]) -> list[Verdict]:
    """Every verdict line of the files.

    Blank lines, `//` lines and stub lines whose verdict is still "" are skipped.
    """
    verdicts = []
    for path in paths:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = raw.strip()
            if not text or text.startswith("//"):
                continue
            entry = json.loads(text)
            if entry.get("verdict") == "":
                continue  # a --stub line not filled in yet: still unjudged
            verdicts.append(_verdict(entry, f"{path}:{number}"))
    return verdicts


def match(findings: Sequence[Finding], verdicts: Sequence[Verdict]) -> list[Match]:
    """Each finding with its verdict: by fingerprint and line, stable key, place, fingerprint.

    The trees are fixed commits, so a line does not move between runs; the
    fingerprint counts occurrences of one code line, so when a change removes
    the first of two findings on identical lines the second one inherits the
    first one's fingerprint. Matching the line first keeps each verdict on the
    finding it judged. A verdict judges at most one finding.
    """
    by_fingerprint: dict[str, list[Verdict]] = {}
    by_key: dict[tuple[str, str, str], list[Verdict]] = {}
    by_place: dict[tuple[str, str, int], list[Verdict]] = {}
    for v in verdicts:
        by_fingerprint.setdefault(v.fingerprint, []).append(v)
        if v.key is not None:
            by_key.setdefault(v.key, []).append(v)
        by_place.setdefault(v.place, []).append(v)
    used: set[int] = set()
    found: dict[int, Verdict] = {}
    passes: list[Callable[[Finding], list[Verdict]]] = [
        lambda f: [v for v in by_fingerprint.get(f.fingerprint, []) if v.place == f.place],
        lambda f: by_key.get(f.key, []) if f.key is not None else [],
        lambda f: by_place.get(f.place, []),
        lambda f: by_fingerprint.get(f.fingerprint, []),
    ]
    for candidates in passes:
        for index, finding in enumerate(findings):
            if index in found:
                continue
            hit = next((v for v in candidates(finding) if id(v) not in used), None)
            if hit is not None:
                used.add(id(hit))
                found[index] = hit
    return [Match(finding, found.get(index)) for index, finding in enumerate(findings)]


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.0%}" if whole else "n/a"


@dataclass(frozen=True)
class Score:
    """The counts of one group of matches."""

    findings: int
    judged: int
    true: int
    false: int
    debatable: int
    fixes_offered: int
    fixes_judged: int
    fixes_right: int

    @classmethod
    def of(cls, matches: Sequence[Match]) -> Score:
        """Count a group of matches."""
        judged = [m for m in matches if m.verdict is not None]
        verdicts = Counter(m.verdict.verdict for m in judged if m.verdict is not None)
        with_fix = [m for m in judged if m.finding.has_fix]
        fixes = Counter(m.verdict.fix for m in with_fix if m.verdict is not None)
        return cls(
            findings=len(matches),
            judged=len(judged),
            true=verdicts["true"],
            false=verdicts["false"],
            debatable=verdicts["debatable"],
            fixes_offered=sum(1 for m in matches if m.finding.has_fix),
            fixes_judged=fixes["right"] + fixes["wrong"],
            fixes_right=fixes["right"],
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data, with the two ratios."""
        data: dict[str, Any] = dict(self.__dict__)
        data["precision"] = self.true / self.judged if self.judged else None
        data["fix_right_share"] = (
            self.fixes_right / self.fixes_judged if self.fixes_judged else None
        )
        return data

    def line(self, label: str) -> str:
        """One table row."""
        return (
            f"{label:<8} findings {self.findings:>4}  judged {self.judged:>4}  "
            f"true {self.true:>3} false {self.false:>3} debatable {self.debatable:>3}  "
            f"precision {_ratio(self.true, self.judged):<15}  "
            f"fixes right {_ratio(self.fixes_right, self.fixes_judged)}"
        )


def gone(matches: Sequence[Match], verdicts: Sequence[Verdict]) -> list[Verdict]:
    """Verdicts of the report's repositories that no finding matches any more."""
    used = {id(m.verdict) for m in matches if m.verdict is not None}
    repos = {m.verdict.repo for m in matches if m.verdict is not None}
    return [v for v in verdicts if id(v) not in used and (not repos or v.repo in repos)]


def stub(finding: Finding, repo: str, commit: str) -> str:
    """A verdict line to fill in for an unjudged finding."""
    return json.dumps(
        {
            "repo": repo,
            "commit": commit,
            "fingerprint": finding.fingerprint,
            "rule_id": finding.rule_id,
            "path": finding.path,
            "line": finding.line,
            "verdict": "",
            "fix": "right" if finding.has_fix else "none",
            "reason": "",
            **({"model": finding.model, "fields": finding.fields} if finding.model else {}),
            "message": finding.message,
        },
        ensure_ascii=False,
    )


def _infer_family(paths: Sequence[Path]) -> str | None:
    parents = {p.resolve().parent.name for p in paths}
    if len(parents) == 1 and (name := parents.pop()) in FAMILIES:
        return name
    return None


def _text(
    matches: Sequence[Match], lost: Sequence[Verdict], family: str, *, lists: bool = True
) -> str:
    total = Score.of(matches)
    out = [f"family {family}", total.line("all"), ""]
    for rule in sorted({m.finding.rule_id for m in matches}):
        out.append(Score.of([m for m in matches if m.finding.rule_id == rule]).line(rule))
    wrong_fix = [
        m
        for m in matches
        if m.verdict is not None and m.finding.has_fix and m.verdict.fix == "wrong"
    ]
    unjudged_fix = [
        m
        for m in matches
        if m.verdict is not None and m.finding.has_fix and m.verdict.fix == "none"
    ]
    unjudged = [m for m in matches if m.verdict is None]
    out.append("")
    out.append(f"fixes offered {total.fixes_offered}, judged wrong {len(wrong_fix)}")
    if unjudged_fix:
        out.append(f"fixes offered but judged 'none' (judge them): {len(unjudged_fix)}")
        out += [f"  {m.finding.rule_id} {m.finding.path}:{m.finding.line}" for m in unjudged_fix]
    out.append(f"UNJUDGED findings: {len(unjudged)}")
    if lists:
        out += [
            f"  {m.finding.rule_id} {m.finding.path}:{m.finding.line}  {m.finding.message}"
            for m in unjudged
        ]
    kinds = Counter(v.verdict for v in lost)
    out.append(
        f"verdicts no finding matches any more: {len(lost)} "
        f"(true {kinds['true']}, false {kinds['false']}, debatable {kinds['debatable']})"
    )
    if lists:
        out += [f"  {v.verdict:<9} {v.rule_id} {v.path}:{v.line}  {v.reason}" for v in lost]
    return "\n".join(out)


def _score_pairs(
    pairs: Sequence[tuple[Path, Sequence[Path]]], prefixes: tuple[str, ...], repo: str
) -> tuple[list[Match], list[Verdict]]:
    """Matches and gone verdicts of each (report, verdict files) pair, concatenated."""
    matches: list[Match] = []
    lost: list[Verdict] = []
    for report, verdict_paths in pairs:
        verdicts = load_verdicts(verdict_paths)
        if repo:
            verdicts = [v for v in verdicts if v.repo == repo]
        found = match(load_report(report, prefixes), verdicts)
        matches += found
        lost += gone(found, verdicts)
    return matches, lost


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, nargs="?", help="djreview check --format json output")
    parser.add_argument("verdicts", type=Path, nargs="*", help="verdict .jsonl files")
    parser.add_argument(
        "--pair",
        nargs=2,
        action="append",
        type=Path,
        default=[],
        metavar=("REPORT", "VERDICTS"),
        help="score several projects together (repeatable)",
    )
    parser.add_argument("--family", choices=sorted(FAMILIES), help="default: from the folder")
    parser.add_argument("--repo", default="", help="owner/name for --stub lines")
    parser.add_argument("--commit", default="", help="commit for --stub lines")
    parser.add_argument("--stub", action="store_true", help="print unjudged findings as lines")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--summary", action="store_true", help="counts only, no finding lists")
    args = parser.parse_args(argv)
    pairs: list[tuple[Path, Sequence[Path]]] = [(r, [v]) for r, v in args.pair]
    if args.report is not None:
        pairs.append((args.report, args.verdicts))
    if not pairs:
        parser.error("give a REPORT (and verdict files) or --pair REPORT VERDICTS")
    family = args.family or _infer_family([v for _, paths in pairs for v in paths])
    if family is None:
        parser.error("give --family (verdict files are not in one family folder)")
    matches, lost = _score_pairs(pairs, FAMILIES[family], args.repo)
    if args.stub:
        for m in matches:
            if m.verdict is None:
                print(stub(m.finding, args.repo, args.commit))
        return 0
    if args.json:
        rules = sorted({m.finding.rule_id for m in matches})
        payload = {
            "family": family,
            "all": Score.of(matches).as_dict(),
            "rules": {
                r: Score.of([m for m in matches if m.finding.rule_id == r]).as_dict() for r in rules
            },
            "unjudged": [m.finding.__dict__ for m in matches if m.verdict is None],
            "gone": [v.__dict__ for v in lost],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print(_text(matches, lost, family, lists=not args.summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
