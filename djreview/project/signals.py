"""Which models have `pre_save`/`post_save` receivers: the writes a bulk write would skip.

Read from the two ways Django connects a receiver, resolved by qualified name:
`@receiver(post_save, sender=Locale)` (also a list of signals) and
`post_save.connect(handler, sender=Locale)`. A receiver connected without a
sender, or with a sender djreview cannot resolve, names no model; nor does
one connected in tests (it runs there only).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview.project.modules import dotted_name
from djreview.source.test_code import skipped

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

POST_SAVE = "django.db.models.signals.post_save"
SAVE_SIGNALS = frozenset({"django.db.models.signals.pre_save", POST_SAVE})
RECEIVERS = frozenset({"django.dispatch.receiver", "django.dispatch.dispatcher.receiver"})


@dataclass(frozen=True)
class SaveReceivers:
    """Models with save receivers: on every save, or only when a row is created.

    A `post_save` receiver that starts `if not created: return` (or does all
    its work under `if created:`) does nothing for an update, so a
    bulk_update() of existing rows skips nothing it would have done.
    """

    every_save: frozenset[str]
    created_only: frozenset[str]

    def on_create(self, label: str) -> bool:
        return label in self.every_save or label in self.created_only

    def on_update(self, label: str) -> bool:
        return label in self.every_save


def models_with_save_receivers(index: ProjectModel) -> SaveReceivers:
    """The models some project code receives `pre_save`/`post_save` for."""
    every: set[str] = set()
    created: set[str] = set()
    for module in index.modules.values():
        tree = module.file.tree
        if tree is None or module.file.rel.startswith("<") or skipped(module.file.rel):
            continue  # Django's stubs connect nothing; a test's receivers run in tests only
        for node in ast.walk(tree):
            for connection in _connections(node):
                decorator, signals, sender, handler = connection
                if decorator and index.resolve_name(module.name, decorator) not in RECEIVERS:
                    continue
                resolved = {index.resolve_name(module.name, signal) for signal in signals}
                if not resolved & SAVE_SIGNALS:
                    continue
                model = index.model_of_expr(module.name, sender)
                if model is None:
                    continue
                only_created = (
                    resolved & SAVE_SIGNALS == {POST_SAVE}
                    and handler is not None
                    and _acts_only_on_create(handler)
                )
                (created if only_created else every).add(model.label)
    return SaveReceivers(frozenset(every), frozenset(created - every))


def _acts_only_on_create(handler: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`if not created: return` before any work, or all the work under `if created:`."""
    for statement in handler.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the docstring
        if isinstance(statement, ast.If) and _returns(statement.body) and not statement.orelse:
            if _is_not_created(statement.test):
                return True
            continue  # another guard (`if raw: return`) does nothing either
        if isinstance(statement, ast.If) and _is_created(statement.test) and not statement.orelse:
            rest = handler.body[handler.body.index(statement) + 1 :]
            return not rest
        if isinstance(statement, ast.Import | ast.ImportFrom) or (
            isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Name)
        ):
            continue  # a local import or a rename (`user = instance`) does nothing
        return False
    return False


def _returns(body: list[ast.stmt]) -> bool:
    return len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is None


def _is_created(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "created"


def _is_not_created(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and _is_created(test.operand)
    )


_Handler = ast.FunctionDef | ast.AsyncFunctionDef
_Connection = tuple[str, list[str], ast.expr, _Handler | None]


def _connections(node: ast.AST) -> list[_Connection]:
    """(decorator, signal names, sender, handler) of a `@receiver(...)` or `signal.connect(...)`.

    The decorator's dotted name is "" for a `.connect()` call, whose handler
    is not looked up (None: taken to act on every save).
    """
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "connect":
            sender = _keyword(node, "sender")
            signal = dotted_name(node.func.value)
            if sender is not None and signal is not None:
                return [("", [signal], sender, None)]
        return []
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return []
    out: list[_Connection] = []
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call) or not decorator.args:
            continue
        callee = dotted_name(decorator.func)
        sender = _keyword(decorator, "sender")
        if callee is None or sender is None:
            continue
        first = decorator.args[0]
        items = first.elts if isinstance(first, ast.List | ast.Tuple) else [first]
        names = [name for item in items if (name := dotted_name(item)) is not None]
        out.append((callee, names, sender, node))
    return out


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)
