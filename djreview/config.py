"""Settings of a run: `[tool.djreview]` from pyproject.toml, then the command line.

Command-line options override the file; unknown keys are an error (exit 2),
so a typo never silently disables a rule.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from djreview.model import Severity

FAIL_ON_CHOICES = ("error", "warning", "note", "never")
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024

_KNOWN_KEYS = {
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "severity",
    "fail-on",
    "max-file-size",
    "ai",
    "jobs",
    "cache-dir",
    "per-file-timeout",
    # Read by the pytest plugin (djreview.confirm), not by the static run.
    "confirm",
    "confirmations",
}


class ConfigError(Exception):
    """The configuration is invalid; the message tells the user what to change."""


@dataclass(frozen=True)
class Config:
    """Everything that changes what a run reports."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: str = "warning"
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    per_file_timeout: float = 30.0
    jobs: int = 0
    cache_dir: str | None = None
    ai: dict[str, Any] = field(default_factory=dict)
    # The pytest plugin's confirmation report (absolute path) to annotate N+1 findings with.
    confirmations: str | None = None
    source: Path | None = None

    def with_cli(self, **overrides: Any) -> Config:
        """A copy with the command line's non-empty options applied."""
        clean = {key: value for key, value in overrides.items() if value not in (None, ())}
        if "fail_on" in clean and clean["fail_on"] not in FAIL_ON_CHOICES:
            raise ConfigError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}")
        return replace(self, **clean)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.djreview] table."""
    current = start.resolve()
    if current.is_file():
        current = current.parent
    for directory in (current, *current.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if "djreview" in data.get("tool", {}):
                return candidate
    return None


def _as_list(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"[tool.djreview] {key} must be a string or a list of strings")


def load_config(path: Path) -> Config:
    """Read a config file: a pyproject.toml ([tool.djreview]) or a djreview.toml (top level)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("djreview", data if path.name != "pyproject.toml" else {})
    return parse_table(table, path)


def parse_table(table: dict[str, Any], source: Path | None) -> Config:
    """Validate a [tool.djreview] table into a Config."""
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"unknown [tool.djreview] keys in {source}: {', '.join(unknown)}")
    severity: dict[str, Severity] = {}
    for rule, level in (table.get("severity") or {}).items():
        try:
            severity[str(rule)] = Severity(level)
        except ValueError:
            raise ConfigError(
                f"[tool.djreview.severity] {rule}: use error, warning or note"
            ) from None
    fail_on = str(table.get("fail-on", "warning"))
    if fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(f"[tool.djreview] fail-on must be one of {', '.join(FAIL_ON_CHOICES)}")
    max_size = table.get("max-file-size", DEFAULT_MAX_FILE_BYTES)
    if not isinstance(max_size, int) or max_size <= 0:
        raise ConfigError("[tool.djreview] max-file-size must be a positive number of bytes")
    ai = table.get("ai", {})
    if not isinstance(ai, dict):
        raise ConfigError("[tool.djreview.ai] must be a table")
    return Config(
        select=_as_list(table.get("select", []), "select"),
        ignore=_as_list(table.get("ignore", []), "ignore"),
        exclude=_as_list(table.get("exclude", []), "exclude")
        + _as_list(table.get("extend-exclude", []), "extend-exclude"),
        severity=severity,
        fail_on=fail_on,
        max_file_bytes=max_size,
        per_file_timeout=float(table.get("per-file-timeout", 30.0)),
        jobs=int(table.get("jobs", 0)),
        cache_dir=table.get("cache-dir"),
        ai=ai,
        confirmations=_report_path(table.get("confirmations"), source),
        source=source,
    )


def _report_path(value: Any, source: Path | None) -> str | None:
    """`confirmations` as an absolute path, relative to the config file's folder."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError("[tool.djreview] confirmations must be a file path")
    base = source.parent if source is not None else Path.cwd()
    return str((base / value).resolve())


def resolve_config(config_file: Path | None, first_path: Path) -> Config:
    """The explicit --config file, else the nearest pyproject.toml, else defaults."""
    if config_file is not None:
        return load_config(config_file)
    found = find_pyproject(first_path)
    return load_config(found) if found is not None else Config()
