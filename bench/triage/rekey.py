"""Add the stable match key (model, fields) to verdict lines, from a report.

    python bench/triage/rekey.py REPORT.json VERDICTS.jsonl [--family index]

A verdict matched to a finding of REPORT (by fingerprint or place, as
score.py matches) gets the finding's `properties.model` and
`properties.fields` as its `model` and `fields` keys. Index findings keep
that key when their location or fingerprint changes (e.g. when they move
to the model field), so their judgements keep matching. Every other key
and every other line is left as it is; the file is rewritten atomically.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score  # noqa: E402


def rekey(report: Path, verdicts_path: Path, prefixes: tuple[str, ...]) -> int:
    """Rewrite `verdicts_path` with keys taken from `report`; the number of lines keyed."""
    verdicts = score.load_verdicts([verdicts_path])
    keys = {
        m.verdict.source: m.finding
        for m in score.match(score.load_report(report, prefixes), verdicts)
        if m.verdict is not None and m.finding.model
    }
    lines = verdicts_path.read_text(encoding="utf-8").splitlines()
    changed = 0
    out = []
    for number, raw in enumerate(lines, 1):
        finding = keys.get(f"{verdicts_path}:{number}")
        if finding is None:
            out.append(raw)
            continue
        entry = json.loads(raw)
        if (entry.get("model"), entry.get("fields")) != (finding.model, finding.fields):
            entry["model"], entry["fields"] = finding.model, finding.fields
            changed += 1
        out.append(json.dumps(entry, ensure_ascii=False))
    handle, tmp = tempfile.mkstemp(dir=verdicts_path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write("\n".join(out) + "\n")
    os.replace(tmp, verdicts_path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("verdicts", type=Path)
    parser.add_argument("--family", choices=sorted(score.FAMILIES), default="index")
    args = parser.parse_args(argv)
    changed = rekey(args.report, args.verdicts, score.FAMILIES[args.family])
    print(f"{args.verdicts}: {changed} verdict line(s) keyed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
