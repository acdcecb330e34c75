"""SourceFile.nodes_of: the shared grouped walks hold exactly the nodes `ast.walk` yields."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from djreview.source.file import SourceFile

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    p
    for p in [*ROOT.glob("fixtures/**/*.py"), *ROOT.glob("rules/**/*.py")]
    if "migrations" not in p.parts
)

TRICKY = """\
class Outer:
    class Inner:
        def method(self):
            def nested():
                return [lambda: f(x) for x in y]
            return nested
try:
    import a
except ImportError as exc:
    class Fallback: ...
else:
    def ok(): ...
finally:
    del a
match command:
    case [x]:
        class InCase: ...
    case _:
        async def in_default():
            async with lock:
                async for item in feed:
                    await item.save()
if flag:
    pass
elif other:
    while True:
        break
    else:
        continue
with open(p) as handle:
    print(handle.read())
"""


def _file(text: str) -> SourceFile:
    return SourceFile(path=Path("m.py"), rel="m.py", kind="python", text=text)


def _expected(tree: ast.AST) -> Counter[int]:
    return Counter(id(n) for n in ast.walk(tree) if not isinstance(n, ast.expr_context))


@pytest.mark.parametrize("path", [*FILES, None], ids=lambda p: str(p) if p else "tricky")
def test_grouped_nodes_are_every_walked_node(path: Path | None) -> None:
    file = _file(path.read_text(encoding="utf-8") if path else TRICKY)
    tree = file.tree
    assert tree is not None
    grouped = Counter(id(n) for group in file.nodes_by_type.values() for n in group)
    assert grouped == _expected(tree)
    for kind in (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Call, ast.If):
        walked = [n for n in ast.walk(tree) if type(n) is kind]
        assert sorted(map(id, file.nodes_of(kind))) == sorted(map(id, walked))


def test_statement_kinds_come_from_the_statement_walk() -> None:
    file = _file(TRICKY)
    names = {node.name for node in file.nodes_of(ast.ClassDef)}
    assert names == {"Outer", "Inner", "Fallback", "InCase"}
    functions = {node.name for node in file.nodes_of(ast.FunctionDef)}
    assert functions == {"method", "nested", "ok"}
    assert [node.name for node in file.nodes_of(ast.AsyncFunctionDef)] == ["in_default"]
    assert "nodes_by_type" not in vars(file)  # statements never needed the full walk
    assert len(file.nodes_of(ast.Lambda)) == 1


def test_an_unparsable_file_has_no_nodes() -> None:
    file = _file("def broken(:\n")
    assert file.nodes_of(ast.Call) == [] and file.nodes_of(ast.ClassDef) == []
