"""Settings of a run: `[tool.djreview]` from pyproject.toml, then the command line.

Command-line options override the file; unknown keys are an error (exit 2),
so a typo never silently disables a rule.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from djreview.model import Severity

FAIL_ON_CHOICES = ("error", "warning", "note", "never")
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


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


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _positive_int(value: Any) -> int | None:
    return value if _count(value) else None


def _seconds(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return float(value) if ok else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _fail_on(value: Any) -> str | None:
    return value if value in FAIL_ON_CHOICES else None


def _table(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _severities(value: Any) -> dict[str, Severity] | None:
    if not isinstance(value, dict):
        return None
    try:
        return {str(rule): Severity(level) for rule, level in value.items()}
    except ValueError:
        return None


# Every [tool.djreview] key: how to read its value, and what it must be (for the error).
KEY_TYPES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "select": (_strings, "a string or a list of strings"),
    "ignore": (_strings, "a string or a list of strings"),
    "exclude": (_strings, "a string or a list of strings"),
    "extend-exclude": (_strings, "a string or a list of strings"),
    "severity": (_severities, "a table of rule = error, warning or note"),
    "fail-on": (_fail_on, "one of " + ", ".join(FAIL_ON_CHOICES)),
    "max-file-size": (_positive_int, "a positive number of bytes"),
    "per-file-timeout": (_seconds, "a positive number of seconds"),
    "jobs": (_count, "a whole number of processes (0: every core)"),
    "cache-dir": (_text, "a folder path (a string)"),
    "ai": (_table, "a table ([tool.djreview.ai])"),
}


def _read(table: dict[str, Any], key: str) -> Any:
    """The typed value of `key`; ConfigError naming the key when it has the wrong type."""
    read, wanted = KEY_TYPES[key]
    value = read(table[key])
    if value is None:
        raise ConfigError(f"[tool.djreview] {key} must be {wanted}, not {table[key]!r}")
    return value


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
    """Validate a [tool.djreview] table into a Config (each value typed by KEY_TYPES)."""
    unknown = sorted(set(table) - set(KEY_TYPES))
    if unknown:
        raise ConfigError(f"unknown [tool.djreview] keys in {source}: {', '.join(unknown)}")
    values = {key: _read(table, key) for key in table}
    return Config(
        select=values.get("select", ()),
        ignore=values.get("ignore", ()),
        exclude=values.get("exclude", ()) + values.get("extend-exclude", ()),
        severity=values.get("severity", {}),
        fail_on=values.get("fail-on", "warning"),
        max_file_bytes=values.get("max-file-size", DEFAULT_MAX_FILE_BYTES),
        per_file_timeout=values.get("per-file-timeout", 30.0),
        jobs=values.get("jobs", 0),
        cache_dir=values.get("cache-dir"),
        ai=values.get("ai", {}),
        source=source,
    )


def resolve_config(config_file: Path | None, first_path: Path) -> Config:
    """The explicit --config file, else the nearest pyproject.toml, else defaults."""
    if config_file is not None:
        return load_config(config_file)
    found = find_pyproject(first_path)
    return load_config(found) if found is not None else Config()
