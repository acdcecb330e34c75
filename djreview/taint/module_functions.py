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
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    owner: dict[int, ast.ClassDef] = field(default_factory=dict)

    @classmethod
    def build(cls, file: SourceFile, module: str) -> FunctionTable:
        """Index a parsed file (an empty table when it did not parse)."""
        table = cls(file, module)
        tree = file.tree
        if tree is None:
            return table
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                table.functions[stmt.name] = stmt
            elif isinstance(stmt, ast.ClassDef):
                table.classes[stmt.name] = stmt
                for item in stmt.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        table.owner[id(item)] = stmt
        return table

    @staticmethod
    def methods(cls: ast.ClassDef) -> dict[str, FunctionNode]:
        """The methods defined in a class body."""
        return {
            item.name: item
            for item in cls.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        }
