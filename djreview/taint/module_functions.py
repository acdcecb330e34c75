"""The functions and methods of one module, as the taint analysis looks them up.

Module names and imports come from the project model (`project.model`);
this table only adds what the analysis needs on top: which class owns a
method, and a class's methods by name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from djreview.source.file import SourceFile

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class FunctionTable:
    """The top-level functions and classes of one Python file."""

    file: SourceFile
    module: str
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    # Every top-level def, redefinitions and defs under a module-level if/try included
    # (`functions` keeps the last one of a name, as a call at run time would find it).
    every: list[FunctionNode] = field(default_factory=list)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    owner: dict[int, ast.ClassDef] = field(default_factory=dict)

    @classmethod
    def build(cls, file: SourceFile, module: str) -> FunctionTable:
        """Index a parsed file (an empty table when it did not parse)."""
        table = cls(file, module)
        tree = file.tree
        if tree is None:
            return table
        for stmt in _module_level(tree.body):
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                table.functions[stmt.name] = stmt
                table.every.append(stmt)
            elif isinstance(stmt, ast.ClassDef):
                table.classes[stmt.name] = stmt
                for item in stmt.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        table.owner[id(item)] = stmt
        return table

    @staticmethod
    def every_method(cls: ast.ClassDef) -> list[FunctionNode]:
        """Every method of a class body, a property's getter and setter both."""
        return [
            item for item in cls.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        ]

    @staticmethod
    def methods(cls: ast.ClassDef) -> dict[str, FunctionNode]:
        """The methods defined in a class body."""
        return {
            item.name: item
            for item in cls.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        }


def _module_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """The module's statements, those under a module-level `if`/`try` flattened in."""
    found: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.If):
            found += _module_level(stmt.body + stmt.orelse)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            handlers = [s for handler in stmt.handlers for s in handler.body]
            found += _module_level(stmt.body + handlers + stmt.orelse + stmt.finalbody)
        else:
            found.append(stmt)
    return found
