"""A pickle codec judged at its callers: is what they hand it the project's own rows?

A codec is a module function that only loads its parameter (`def
do_unpickle(data): return loads(to_bytes(data))`) beside a function of the
same module that dumps. Its callers are found by resolved name in every
module (tests aside); a caller that passes its own parameter on from a
module function (`def dbunserialize(data): return from_pickle(do_unpickle(data))`)
is judged at its callers in turn, up to three levels. A caller that reads
the value from a project model's manager (`ServerConfig.objects.conf(key)`,
directly or through local names, loops over such a value, or the codec's
own output of one) hands back what the process stored. Any other caller,
or any use of the codec's name that is not a call, keeps the finding.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.source.test_code import skipped

_MAX_LEVELS = 3
Function = ast.FunctionDef | ast.AsyncFunctionDef


def callers_pass_own_rows(project: Project, file: SourceFile, codec: ast.FunctionDef) -> bool:
    """Whether every call of the module function `codec` hands it the project's own rows."""
    model = project.analysis(ProjectModel)
    module = model.module_for(file)
    if module is None:
        return False
    return _Callers(project, model).pass_rows(f"{module.name}.{codec.name}", 0)


@dataclass(frozen=True)
class _Use:
    """A reference to the codec's name: the call it is the callee of, and its function."""

    node: ast.expr
    call: ast.Call | None
    scope: Function | None
    top_level: bool


class _Callers:
    def __init__(self, project: Project, model: ProjectModel) -> None:
        self.project = project
        self.model = model
        self.chain: set[str] = set()
        # Verdicts of wrappers already judged: a wrapper calling the codec twice is asked
        # again while still in `chain`, which alone would read as a cycle.
        self.judged: dict[str, bool] = {}

    def pass_rows(self, target: str, level: int) -> bool:
        """Every use of `target` in the project is a call passing own rows (or a wrapper's)."""
        if target in self.judged:
            return self.judged[target]
        if level > _MAX_LEVELS or target in self.chain:
            return False
        self.chain.add(target)
        # A verdict reached under a cycle or the depth limit is False: keeping it only
        # ever reports more.
        verdict = self._judge(target, level)
        self.judged[target] = verdict
        return verdict

    def _judge(self, target: str, level: int) -> bool:
        name = target.rpartition(".")[2]
        calls = 0
        for other in self.project.python_files:
            if name not in other.text or other.tree is None or skipped(other.rel):
                continue
            info = self.model.module_for(other)
            for use in _uses(other.tree, name):
                spelled = dotted_name(use.node)
                resolved = self.model.resolve_name(info.name, spelled) if info and spelled else None
                if resolved is None and info is not None:
                    continue  # a local or attribute of the same spelling, not the codec
                if resolved != target or use.call is None:
                    return False  # passed around, or in a file whose imports are unknown
                calls += 1
                if not self._passes_rows(use, info.name if info else "", level):
                    return False
        return calls > 0

    def _passes_rows(self, use: _Use, module: str, level: int) -> bool:
        call, scope = use.call, use.scope
        data = call.args[0] if call is not None and call.args else None
        if data is None or scope is None:
            return False
        if isinstance(data, ast.Name) and data.id in _parameters(scope):
            # A wrapper handing its own parameter on: judged at its callers.
            return use.top_level and self.pass_rows(f"{module}.{scope.name}", level + 1)
        return _Rows(self.model, module, scope, self.chain).own(data)


class _Rows:
    """Whether a value in one function was read from a project model's rows."""

    def __init__(self, model: ProjectModel, module: str, scope: Function, chain: set[str]):
        self.model = model
        self.module = module
        self.scope = scope
        self.chain = chain
        self.visiting: set[str] = set()

    def own(self, node: ast.expr) -> bool:
        """`Model.objects...`, a method or item of such a value, the codec's output of one.

        Literals count too (`... if value else {}`): the code wrote them.
        """
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                spelled = dotted_name(node.value)
                resolved = self.model.resolve_name(self.module, spelled) if spelled else None
                return resolved is not None and self.model.model_named(resolved) is not None
            return self.own(node.value)
        if isinstance(node, ast.Subscript):
            return self.own(node.value)
        if isinstance(node, ast.IfExp):
            return self.own(node.body) and self.own(node.orelse)
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            items = node.values if isinstance(node, ast.Dict) else node.elts
            return all(self.own(item) for item in items)
        if isinstance(node, ast.Call):
            spelled = dotted_name(node.func)
            resolved = self.model.resolve_name(self.module, spelled) if spelled else None
            if resolved in self.chain:
                return bool(node.args) and self.own(node.args[0])
            return isinstance(node.func, ast.Attribute) and self.own(node.func.value)
        return False

    def _name(self, name: str) -> bool:
        if name in self.visiting:
            return True  # a cycle adds no value from elsewhere
        if name in _parameters(self.scope):
            return False
        self.visiting.add(name)
        values = list(_bindings(self.scope, name))
        return bool(values) and all(value is not None and self.own(value) for value in values)


def _uses(tree: ast.Module, name: str) -> Iterator[_Use]:
    """References to `name` (as a name or an attribute), with the call and function around."""
    callees = {id(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
    scopes: dict[int, tuple[Function, bool]] = {}
    top = {id(node) for node in tree.body}
    for function in ast.walk(tree):
        if isinstance(function, Function):
            for child in ast.walk(function):
                scopes[id(child)] = (function, id(function) in top)  # innermost wins: walked later
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and node.id == name) or (
            isinstance(node, ast.Attribute) and node.attr == name
        ):
            scope, top_level = scopes.get(id(node), (None, False))
            yield _Use(node, callees.get(id(node)), scope, top_level)


def _parameters(function: Function) -> set[str]:
    arguments = function.args
    return {arg.arg for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}


def _bindings(scope: Function, name: str) -> Iterator[ast.expr | None]:
    """What `name` is bound to in `scope`: assigned values, and the iterables of loops over it.

    None for a binding whose value is not known (augmented, `with`, unpacked assignment).
    """
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    yield node.value
                elif _binds(target, name):
                    yield None
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and _binds(node.target, name):
            yield node.value
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and _binds(
            node.target, name
        ):
            yield node.iter
        elif isinstance(node, ast.AugAssign | ast.withitem) and _binds(
            node.target if isinstance(node, ast.AugAssign) else node.optional_vars, name
        ):
            yield None


def _binds(target: ast.AST | None, name: str) -> bool:
    return target is not None and any(
        isinstance(node, ast.Name) and node.id == name for node in ast.walk(target)
    )
