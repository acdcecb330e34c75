"""One migration per app per `fix` run: djreview's new migrations of one app become one file.

Every index fix writes its own migration after the app's leaf, so any
subset of fixes can be applied. When a run applies several fixes of one
app, the new migrations share the folder, the number and the dependency;
they are merged into one file whose name lists what it adds (as
`makemigrations` names a migration from its operations).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from djreview.indexes.migration_writer import GENERATED_HEADER, migration_name

OPERATIONS = "    operations = [\n"
CLOSING = "    ]\n"


def _parts(text: str) -> tuple[str, str] | None:
    """(everything up to the operations list, the operations) of a migration djreview wrote."""
    if not text.startswith(GENERATED_HEADER) or OPERATIONS not in text:
        return None
    head, _, rest = text.partition(OPERATIONS)
    if not rest.endswith(CLOSING):
        return None
    return head, rest[: -len(CLOSING)]


def merge_new_migrations(created: dict[str, str]) -> dict[str, str]:
    """`created` (new file path -> text) with djreview's migrations merged per folder.

    Files that are not djreview migrations, or whose dependencies differ,
    are kept as they are.
    """
    groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    out: dict[str, str] = {}
    for rel, text in created.items():
        path = PurePosixPath(rel)
        parts = _parts(text)
        number, _, fragment = path.stem.partition("_")
        if path.parent.name != "migrations" or parts is None or not number.isdigit():
            out[rel] = text
            continue
        groups.setdefault((path.parent.as_posix(), number, parts[0]), []).append(
            (fragment, parts[1])
        )
    for (folder, number, head), members in groups.items():
        members.sort()
        name = migration_name(int(number), [fragment for fragment, _ in members])
        operations = "".join(ops for _, ops in members)
        out[f"{folder}/{name}.py"] = f"{head}{OPERATIONS}{operations}{CLOSING}"
    return out
