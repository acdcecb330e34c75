"""Calls that name a model by its label: `apps.get_model("blog", "Post")`, swapper's getters.

Reusable apps (openwisp, pinax and others built on `swapper`) never import
their concrete models: they write `Device = load_model("config", "Device")`
and `models.ForeignKey(get_model_name("config", "Device"))`, so that a
project can swap the model through a setting. Read statically, the label in
the call is the model the app ships, which is also the one a project gets
unless it swaps it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from djreview.project.literals import literal_str
from djreview.project.modules import dotted_name

# Qualified names of the getters that return the model class or its label.
MODEL_CLASS_GETTERS = frozenset(
    {
        "django.apps.apps.get_model",
        "swapper.load_model",
    }
)
MODEL_LABEL_GETTERS = frozenset({"swapper.get_model_name"})
MODEL_GETTERS = MODEL_CLASS_GETTERS | MODEL_LABEL_GETTERS


def getter_label(call: ast.Call) -> str | None:
    """The "app_label.Model" a getter call spells with literal strings, else None.

    `get_model("blog", "Post")` and `get_model("blog.Post")`; a keyword or a
    computed argument (a setting, a variable) gives None.
    """
    if call.keywords or not 1 <= len(call.args) <= 2:
        return None
    parts = [literal_str(argument) for argument in call.args]
    if any(part is None for part in parts):
        return None
    label = ".".join(part for part in parts if part is not None)
    return label if label.count(".") == 1 else None


def label_of_getter_call(
    expr: ast.expr, qualify: Callable[[str], str | None], getters: frozenset[str] = MODEL_GETTERS
) -> str | None:
    """The label named by `expr` when it is a call of one of `getters`.

    `qualify` turns the callee's dotted name into a qualified name as seen
    from the calling module (None when unbound).
    """
    if not isinstance(expr, ast.Call):
        return None
    callee = dotted_name(expr.func)
    if callee is None or qualify(callee) not in getters:
        return None
    return getter_label(expr)
