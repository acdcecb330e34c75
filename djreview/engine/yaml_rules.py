"""Declarative ast-grep rules: loading the YAML and running it on a file.

This is the only module that imports `ast_grep_py`. A rule file holds our keys
(id, name, message, severity, note, metadata, files) next to ast-grep's own
(rule, constraints, utils, fix); only the latter reach ast-grep.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml
from ast_grep_py import SgNode, SgRoot

if TYPE_CHECKING:
    from ast_grep_py import Config

from djreview.model import Applicability, Edit, Finding, Fix, Location, RuleMeta, Severity

_AST_GREP_KEYS = ("rule", "constraints", "utils", "transform")
_STRINGS = "a list of strings"
# Every key a rule file may hold (ours, then ast-grep's), with the type it must
# have: anything else is an error at load time, as in [tool.djreview].
KEY_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "id": (str, "a string"),
    "name": (str, "a string"),
    "message": (str, "a string"),
    "severity": (str, "error, warning or note"),
    "note": (str, "a string"),
    "metadata": (dict, "a mapping"),
    "enabled": (bool, "true or false"),
    "files": (list, _STRINGS),
    "hints": (list, _STRINGS),
    "fix": (str, "a string"),
    "rule": (dict, "a mapping"),
    "constraints": (dict, "a mapping"),
    "utils": (dict, "a mapping"),
    "transform": (dict, "a mapping"),
}
METADATA_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "cwe": ((int, list), "a CWE number or a list of them"),
    "security-severity": ((int, float), "a number"),
    "precision": (str, "a string"),
    "tags": (list, _STRINGS),
    "references": (list, _STRINGS),
}
_METAVAR_RE = re.compile(r"\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)")


class RuleLoadError(Exception):
    """A rule file is malformed; the message names the file and the problem."""


def parse_python(text: str) -> SgNode:
    """Parse Python source with tree-sitter; never raises on bad syntax."""
    return SgRoot(text, "python").root()


@dataclass(frozen=True)
class YamlRule:
    """An ast-grep rule with djreview's metadata."""

    meta: RuleMeta
    config: dict[str, Any]
    fix_template: str | None
    files: tuple[str, ...]
    # Words without which the rule cannot match (our `hints:` key): a file
    # holding none of them is not even parsed by tree-sitter for this rule.
    hints: tuple[str, ...] = ()

    def applies_to(self, rel_path: str, text: str | None = None) -> bool:
        """Whether the rule's `files` globs (if any) admit this path, and `text` holds a hint."""
        if self.hints and text is not None and not any(hint in text for hint in self.hints):
            return False
        if not self.files:
            return True
        return any(fnmatch.fnmatch(rel_path, pattern) for pattern in self.files)

    def run(self, root: SgNode, rel_path: str) -> Iterator[Finding]:
        """Every match of the rule in one parsed file."""
        for node in root.find_all(cast("Config", self.config)):
            location = sg_location(node, rel_path)
            fix = None
            if self.fix_template is not None:
                fix = Fix(
                    description=f"Apply the fix of {self.meta.name}",
                    edits=(Edit(location, _expand(self.fix_template, node)),),
                    applicability=Applicability.SAFE,
                )
            yield Finding(
                rule_id=self.meta.id,
                rule_name=self.meta.name,
                message=_expand(self.meta.message, node),
                severity=self.meta.severity,
                location=location,
                fix=fix,
            )


def sg_location(node: SgNode, rel_path: str) -> Location:
    """Convert ast-grep's 0-based range to a 1-based Location."""
    rng = node.range()
    return Location(
        rel_path,
        rng.start.line + 1,
        rng.start.column + 1,
        rng.end.line + 1,
        rng.end.column + 1,
    )


def _expand(template: str, node: SgNode) -> str:
    """Substitute `$VAR` / `$$$VAR` metavariables with the matched text."""

    def replace(match: re.Match[str]) -> str:
        multi, single = match.group(1), match.group(2)
        if multi:
            return ", ".join(n.text() for n in node.get_multiple_matches(multi) if n.text() != ",")
        captured = node.get_match(single)
        return captured.text() if captured is not None else match.group(0)

    return _METAVAR_RE.sub(replace, template)


def _check_types(
    path: Path,
    data: dict[str, Any],
    types: dict[str, tuple[type | tuple[type, ...], str]],
    prefix: str,
) -> None:
    """RuleLoadError naming the first unknown key or the first value of the wrong type."""
    unknown = sorted(str(key) for key in data if key not in types)
    if unknown:
        raise RuleLoadError(f"{path}: unknown keys {', '.join(prefix + k for k in unknown)}")
    for key, value in data.items():
        kind, wanted = types[key]
        wrong_bool = isinstance(value, bool) and kind is not bool
        if not isinstance(value, kind) or wrong_bool:
            raise RuleLoadError(f"{path}: {prefix}{key} must be {wanted}, not {value!r}")


def load_yaml_rule(path: Path, category: str, sample: str) -> YamlRule:
    """Load one rule file; raise RuleLoadError on anything missing or malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleLoadError(f"{path}: cannot load: {exc}") from None
    if not isinstance(data, dict):
        raise RuleLoadError(f"{path}: not a mapping")
    _check_types(path, data, KEY_TYPES, "")
    _check_types(path, data.get("metadata") or {}, METADATA_TYPES, "metadata.")
    missing = [
        key for key in ("id", "name", "message", "severity", "rule", "note") if key not in data
    ]
    if missing:
        raise RuleLoadError(f"{path}: missing keys {missing}")
    metadata = data.get("metadata") or {}
    try:
        severity = Severity(data["severity"])
    except ValueError:
        raise RuleLoadError(f"{path}: severity must be error, warning or note") from None
    cwe = metadata.get("cwe", [])
    cwe_list = [cwe] if isinstance(cwe, int) else list(cwe)
    sec = metadata.get("security-severity")
    meta = RuleMeta(
        id=str(data["id"]),
        name=str(data["name"]),
        message=str(data["message"]).strip(),
        severity=severity,
        category=category,
        docs=str(data["note"]).strip(),
        tags=tuple(str(tag) for tag in metadata.get("tags", [])),
        cwe=tuple(int(c) for c in cwe_list),
        precision=str(metadata.get("precision", "high")),
        security_severity=float(sec) if sec is not None else None,
        fixable="fix" in data,
        enabled_by_default=bool(data.get("enabled", True)),
        source=str(path),
        sample=sample,
        references=tuple(str(ref) for ref in metadata.get("references", [])),
        reports_tests=bool(metadata.get("reports-tests", category != "security")),
    )
    config = {key: data[key] for key in _AST_GREP_KEYS if key in data}
    try:
        # Fail at load, not mid-run, on a rule ast-grep rejects.
        parse_python("x = 1").find_all(cast("Config", config))
    except Exception as exc:  # ast-grep raises plain RuntimeError/ValueError
        raise RuleLoadError(f"{path}: ast-grep rejects the rule: {exc}") from None
    files = data.get("files") or ()
    hints = data.get("hints") or []
    if not all(isinstance(h, str) and h for h in hints):
        raise RuleLoadError(f"{path}: hints must be a list of non-empty strings")
    return YamlRule(
        meta=meta,
        config=config,
        fix_template=data.get("fix"),
        files=tuple(files),
        hints=tuple(hints),
    )
