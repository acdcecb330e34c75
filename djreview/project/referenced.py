"""The identifiers a project's code spells, kept up to date across a session's edits.

Name resolution reads another module's binding of `n` only for a dotted name
with `n` in it, and every such name is spelled somewhere: an imported name
(`from m import n`), an attribute (`m.n`), a name a module uses without
binding it itself (what a star import brings), or a part of a string (a lazy
reference, `"app.views.n"`). A binding no file spells cannot change what any
other module resolves, so the names fingerprint (`facts_context`) leaves it
out: adding a new function no other file mentions yet keeps every other
file's facts. The set is kept as counts, updated for the files an edit
changed; its token changes whenever an identifier appears or disappears.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import Counter
from collections.abc import Iterable

from djreview.source.file import SourceFile
from djreview.source.project import Project

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Longer strings are text, not references (a lazy reference is a dotted path).
_MAX_REFERENCE = 300
_TOKENS = itertools.count(1)


def spelled_in(file: SourceFile) -> frozenset[str]:
    """The identifiers `file` spells that another module's bindings could answer."""
    tree = file.tree
    if tree is None:
        return frozenset()
    own = _top_level_names(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            # A name stored to binds it here; only a read may look in another module.
            if node.id not in own and not isinstance(node.ctx, ast.Store | ast.Del):
                found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.update(_IDENTIFIER.findall(node.name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update(_IDENTIFIER.findall(node.module))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and len(node.value) <= _MAX_REFERENCE
        ):
            found.update(_IDENTIFIER.findall(node.value))
    return frozenset(found)


def _top_level_names(tree: ast.Module) -> set[str]:
    """Names the module binds itself by a def, a class or an assignment at its top level."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
    return names


class Referenced:
    """Every identifier the project's Python files spell, with a token per version."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[SourceFile, frozenset[str]]] = {}
        self._counts: Counter[str] = Counter()
        self.token = 0
        # The token at which each identifier last appeared or disappeared.
        self._flipped: dict[str, int] = {}
        self._pending: set[str] = set()

    def __contains__(self, name: object) -> bool:
        return name in self._counts

    def update(self, project: Project) -> None:
        """Count the files of `project` that changed since the last update."""
        changed = False
        seen: set[str] = set()
        for file in project.python_files:
            seen.add(file.rel)
            old = self._files.get(file.rel)
            if old is not None and old[0] is file:
                continue
            names = project.per_file("spelled-names", file, "", spelled_in)
            before = old[1] if old is not None else frozenset()
            # Only the difference counts: an edit keeps most of a file's identifiers.
            changed |= self._remove(before - names)
            changed |= self._add(names - before)
            self._files[file.rel] = (file, names)
        for rel in [rel for rel in self._files if rel not in seen]:
            changed |= self._remove(self._files.pop(rel)[1])
        if changed or not self.token:
            self.token = next(_TOKENS)  # unique in the process: never mistaken for another set
            for name in self._pending:
                self._flipped[name] = self.token
        self._pending.clear()

    def flipped_since(self, token: int, names: Iterable[str]) -> bool:
        """Whether any of `names` appeared or disappeared after `token`."""
        flipped = self._flipped
        return any(flipped.get(name, 0) > token for name in names)

    def _add(self, names: frozenset[str]) -> bool:
        fresh = False
        for name in names:
            if name not in self._counts:
                fresh = True
                self._pending.add(name)
            self._counts[name] += 1
        return fresh

    def _remove(self, names: frozenset[str]) -> bool:
        gone = False
        for name in names:
            self._counts[name] -= 1
            if self._counts[name] <= 0:
                del self._counts[name]
                self._pending.add(name)
                gone = True
        return gone


def referenced(project: Project) -> Referenced:
    """The session's identifier counts, brought up to date with `project`'s files."""
    found = project.joined("referenced-names", "", Referenced, lambda _kept: True)
    found.update(project)
    return found
