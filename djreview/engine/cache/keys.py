"""Cache keys: digests of everything an entry's findings depend on.

Keys never contain the djreview version string alone: the digest of the
engine's own code and rule files stands for it, so an edited rule (or a
development checkout) never reuses findings of the old code.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from djreview.config import Config
from djreview.engine.registry import rules_dir
from djreview.model import Notification
from djreview.source.file import SourceFile

CACHE_FOLDER_NAME = ".djreview_cache"


def digest(*parts: str) -> str:
    """A hex digest of the parts, unambiguously joined."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogateescape"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def default_cache_dir(root: Path) -> Path:
    """DJREVIEW_CACHE_DIR when set (a cache shared by several trees), else `.djreview_cache`
    in the project root, as ruff keeps `.ruff_cache`: easy to find, `djreview clean`
    empties it, and its own `.gitignore` keeps it out of commits.
    """
    explicit = os.environ.get("DJREVIEW_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser() / "results"
    return root / CACHE_FOLDER_NAME


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


@cache
def engine_fingerprint() -> str:
    """The digest of djreview's code, rule files, Python and parser versions."""
    package = Path(__file__).resolve().parent.parent
    hasher = hashlib.blake2b(digest_size=20)
    sources = sorted(package.rglob("*.py")) + sorted(rules_dir().rglob("*.yml"))
    for path in sources:
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    versions = f"{sys.version_info[:3]}|{_version('ast-grep-py')}"
    return digest(hasher.hexdigest(), versions)


def config_fingerprint(config: Config, rule_ids: Iterable[str]) -> str:
    """What in the config changes findings: the rules and any option a check reads."""
    fields = {
        "rules": sorted(rule_ids),
        "severity": {key: str(value) for key, value in sorted(config.severity.items())},
        "max_file_bytes": config.max_file_bytes,
        "exclude": list(config.exclude),
        "ai": config.ai,
        # The confirmation report lies outside the analysed files: its content counts.
        "confirmations": _file_digest(config.confirmations),
    }
    return digest(engine_fingerprint(), json.dumps(fields, sort_keys=True, default=str))


def _file_digest(path: str | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def run_config_fingerprint(config: Config) -> str:
    """What in the config changes a whole run's output, rules named as the user named them.

    The selection tokens stand for the rule ids they resolve to: the registry
    that resolves them is part of the engine fingerprint.
    """
    return config_fingerprint(config, ["select", *config.select, "ignore", *config.ignore])


def project_key(files: Iterable[SourceFile]) -> str:
    """The digest of every file's path, kind and content: the whole project's state."""
    return digest(*(f"{file.rel}\x01{file.kind}\x01{file.digest}" for file in files))


def file_key(config_fp: str, file: SourceFile) -> str:
    """The key of one file's entry."""
    return digest("file", config_fp, file.rel, file.kind, file.digest)


def project_check_key(config_fp: str, check_id: str) -> str:
    """The key of one whole-project check's entry."""
    return digest("project-check", config_fp, check_id)


def run_key(config_fp: str, project: str, notes: Iterable[Notification], shard: str) -> str:
    """The key of a whole run: every input, plus what discovery had to skip."""
    skipped = json.dumps(sorted([n.path, n.message, n.level] for n in notes))
    return digest("run", config_fp, project, skipped, shard)
