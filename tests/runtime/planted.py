"""Read the ``planted:``/``twin:`` markers of a fixture and render its PLANTED.md.

A marker is a comment on the line above the code it describes::

    # planted: <kind> — <description> [<case>]
    {# twin: <kind> — <description> [<case>] #}

``tests/runtime/test_fixture_projects.py`` checks each PLANTED.md is current;
``DJREVIEW_UPDATE_SNAPSHOTS=1`` rewrites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# One definition of the marker format: `djreview ai calibrate` reads the same markers.
from djreview.ai.calibrate import MARKER, SOURCE_SUFFIXES

from .harness import load_cases


@dataclass(frozen=True, slots=True)
class Marker:
    """One planted defect or twin comment, pointing at the line below it."""

    role: str
    kind: str
    description: str
    case: str
    path: str
    line: int

    @property
    def where(self) -> str:
        """``path:line`` of the marked code (the line after the comment)."""
        return f"{self.path}:{self.line}"


def markers(fixture_dir: Path) -> list[Marker]:
    """Every marker in the fixture's Python and template files, in path order."""
    found = []
    for path in sorted(Path(fixture_dir).rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(fixture_dir).as_posix()
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            match = MARKER.search(text)
            if match:
                found.append(
                    Marker(
                        role=match["role"],
                        kind=match["kind"],
                        description=match["text"],
                        case=match["case"],
                        path=relative,
                        line=number + 1,
                    )
                )
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _exercised_by(cases: object, case: str) -> str:
    n_plus_one = getattr(cases, "N_PLUS_ONE", {})
    indexes = getattr(cases, "INDEXES", {})
    if case in n_plus_one:
        twin = n_plus_one.get(f"{case}_twin")
        twin_url = f" (twin `{twin['url']}`)" if twin else ""
        return f"`{n_plus_one[case]['url']}`{twin_url}"
    if f"{case}_twin" in n_plus_one:
        return f"`{n_plus_one[f'{case}_twin']['url']}`"
    if case in indexes:
        return f"EXPLAIN `{case}`"
    return "static only"


def render(fixture_dir: Path) -> str:
    """The PLANTED.md text for a fixture, generated from its markers and runtime cases."""
    fixture_dir = Path(fixture_dir)
    cases = load_cases(fixture_dir)
    found = markers(fixture_dir)
    twins: dict[str, list[str]] = {}
    for marker in found:
        if marker.role == "twin":
            twins.setdefault(marker.case, []).append(f"`{marker.where}`")
    planted_cases = {marker.case for marker in found if marker.role == "planted"}
    lines = [
        f"# Planted cases: {fixture_dir.name}",
        "",
        "Generated from the `# planted:` / `# twin:` comments by `tests/runtime/planted.py`",
        "(`DJREVIEW_UPDATE_SNAPSHOTS=1 pytest tests/runtime` rewrites it);",
        "`tests/runtime` checks it is current and measures every case with a URL or EXPLAIN.",
        "Line numbers point at the marked code (the line below the comment).",
        "",
        "## Planted",
        "",
        "| Kind | Case | Location | Description | Twin | Exercised by |",
        "|---|---|---|---|---|---|",
    ]
    for marker in sorted(found, key=lambda marker: (marker.kind, marker.path, marker.line)):
        if marker.role == "planted":
            twin = ", ".join(twins.get(marker.case, [])) or "—"
            lines.append(
                f"| {marker.kind} | {marker.case} | `{marker.where}` | {_cell(marker.description)} "
                f"| {twin} | {_exercised_by(cases, marker.case)} |"
            )
    lines += [
        "",
        "## Negatives (must not be flagged)",
        "",
        "| Kind | Case | Location | Description | Exercised by |",
        "|---|---|---|---|---|",
    ]
    for marker in sorted(found, key=lambda marker: (marker.kind, marker.path, marker.line)):
        if marker.role == "twin" and marker.case not in planted_cases:
            lines.append(
                f"| {marker.kind} | {marker.case} | `{marker.where}` | {_cell(marker.description)} "
                f"| {_exercised_by(cases, marker.case)} |"
            )
    return "\n".join(lines) + "\n"
