"""Per-file facts kept between the runs of one session, by file and context.

A whole-project analysis asks `Project.per_file(namespace, file, context,
compute)` for what one file contributes (its lookup sites, its names table);
in a `djreview check` run that just calls `compute`. A language-server
session hands every project it builds the same `FileMemo`, so after an edit
only the edited file's facts, and the facts whose context changed, are
computed again.

An entry is reused only for the same `SourceFile` object (a session keeps the
object of an unchanged file, and a changed file is a new object) and the same
context fingerprint (what else the facts read: the schema, the names other
modules bind). Facts may hold the file's own tree nodes: the object is the
same, so they are too. Memory is bounded by construction: one entry per
namespace and project path (and one per whole-project join), the older
one replaced; `retain` drops the entries of files gone from the project.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from djreview.source.file import SourceFile

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Entry:
    file: SourceFile | None
    context: str
    value: object


class FileMemo:
    """One entry per (namespace, path): the facts of the file object seen last."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(
        self,
        namespace: str,
        file: SourceFile | None,
        context: str,
        compute: Callable[[], T],
        still_valid: Callable[[T], bool] | None = None,
    ) -> T:
        """The facts of `file` (None: of the whole project) in `namespace`, or `compute()`.

        Reused when file and context match and `still_valid(facts)`, when
        given, holds (the other files they read unchanged).
        """
        key = (namespace, file.rel if file is not None else "")
        entry = self._entries.get(key)
        if (
            entry is not None
            and entry.file is file
            and entry.context == context
            and (still_valid is None or still_valid(entry.value))  # type: ignore[arg-type]
        ):
            self.hits += 1
            return entry.value  # type: ignore[return-value]
        self.misses += 1
        value = compute()
        self._entries[key] = _Entry(file, context, value)
        return value

    def retain(self, rels: Iterable[str]) -> None:
        """Forget the entries of every path not in `rels` (files deleted or renamed)."""
        keep = {*rels, ""}
        for key in [key for key in self._entries if key[1] not in keep]:
            del self._entries[key]
