"""bench/triage/score.py and rekey.py: index verdicts survive a move of the finding."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

TRIAGE = Path(__file__).resolve().parents[2] / "bench" / "triage"


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(TRIAGE))
    spec = importlib.util.spec_from_file_location(name, TRIAGE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _report(path: Path, where: str, line: int, fingerprint: str) -> Path:
    finding = {
        "rule_id": "DJR201",
        "message": "Book.isbn is looked up",
        "location": {"path": where, "start_line": line},
        "fingerprint": fingerprint,
        "fix": None,
        "properties": {"model": "library.Book", "fields": "isbn"},
    }
    path.write_text(json.dumps({"findings": [finding]}), encoding="utf-8")
    return path


def test_a_rekeyed_verdict_matches_the_moved_finding(tmp_path: Path) -> None:
    score, rekey = _load("score"), _load("rekey")
    verdicts = tmp_path / "index" / "o__n.jsonl"
    verdicts.parent.mkdir()
    line: dict[str, object] = {"repo": "o/n", "fingerprint": "aaa", "rule_id": "DJR201"}
    line |= {"path": "views.py"}
    line |= {"line": 10, "verdict": "true", "fix": "none", "reason": "hot"}
    verdicts.write_text(json.dumps(line) + "\n", encoding="utf-8")
    before = _report(tmp_path / "before.json", "views.py", 10, "aaa")
    moved = _report(tmp_path / "after.json", "models.py", 3, "bbb")
    prefixes = score.FAMILIES["index"]
    # Not keyed: the moved finding (new path, line, fingerprint) is unjudged.
    unkeyed = score.match(score.load_report(moved, prefixes), score.load_verdicts([verdicts]))
    assert unkeyed[0].verdict is None
    assert rekey.rekey(before, verdicts, prefixes) == 1
    keyed = score.match(score.load_report(moved, prefixes), score.load_verdicts([verdicts]))
    assert keyed[0].verdict is not None and keyed[0].verdict.reason == "hot"
    assert json.loads(verdicts.read_text(encoding="utf-8"))["fields"] == "isbn"
