"""Dicts whose keys the code writes, followed key by key.

`data = helper(request)` where `helper` returns `{"pagination": {...}, "query":
{"labels": labels}}`: `data["pagination"]["page"]` carries only what was put
under those keys, not the request data stored under `"query"`. A `Shape` maps
each literal key to the taint of its value and, when that value is itself such
a dict, its own shape.

In a function's environment a name's shape lives under pseudo names
(`data<SEP>pagination`, ...), so branches and loops merge them as they merge
names (a union). `data<SEP>+` says some path bound the name to a shaped
dict, `data<SEP>*` that some path bound it to anything else: only a name with
the first and without the second is read key by key.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from weakref import WeakKeyDictionary

from djreview.taint.values import Taint, combine

Shape = dict[str, "tuple[Taint | None, Shape | None]"]
SEP = "\x00"
_SHAPED = f"{SEP}+"
_OTHER = f"{SEP}*"
# A value for the markers: no request data, no parameter.
MARK = Taint((), frozenset(), False, frozenset())
_READS: WeakKeyDictionary[ast.AST, dict[str, frozenset[str] | None]] = WeakKeyDictionary()


def literal_key(node: ast.expr | None) -> str | None:
    """The string of a literal key (`"page"`), else None."""
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SEP not in node.value
        and node.value not in {"+", "*"}
    ):
        return node.value
    return None


def reconcile(merged: dict[str, Taint], ends: list[dict[str, Taint]]) -> None:
    """After paths merge: a name shaped on one path and holding other data on another
    (a parameter, a value bound before the branch) is read as a whole."""
    for key in [key for key in merged if key.endswith(_SHAPED)]:
        name = key[: -len(_SHAPED)]
        if any(env.get(name) is not None and key not in env for env in ends):
            merged[name + _OTHER] = MARK


def store(env: dict[str, Taint], name: str, shape: Shape | None, tainted: bool) -> None:
    """Bind `name`'s shape in `env` (None: a value read as a whole, when tainted)."""
    prefix = name + SEP
    for key in [key for key in env if key.startswith(prefix)]:
        del env[key]
    if shape is not None:
        _put(env, name, shape)
    elif tainted:
        env[name + _OTHER] = MARK


def _put(env: dict[str, Taint], prefix: str, shape: Shape) -> None:
    env[prefix + _SHAPED] = MARK
    for key, (value, inner) in shape.items():
        path = f"{prefix}{SEP}{key}"
        if value is not None:
            env[path] = value
        if inner is not None:
            _put(env, path, inner)


def unshape(env: dict[str, Taint], name: str) -> None:
    """`name` may hold other keys now (`d.update(x)`, `d[k] = v`): read it as a whole."""
    if name + _SHAPED in env:
        env[name + _OTHER] = MARK


def set_key(
    env: dict[str, Taint], name: str, key: str, value: Taint | None, inner: Shape | None
) -> None:
    """`name[key] = value` on a shaped name."""
    path = f"{name}{SEP}{key}"
    store(env, path, inner, value is not None)
    if value is None:
        env.pop(path, None)
    else:
        env[path] = value


def load(env: dict[str, Taint], name: str) -> Shape | None:
    """The shape `name` holds on every path, or None."""
    if name + _SHAPED not in env or name + _OTHER in env:
        return None
    prefix = name + SEP
    shape: Shape = {}
    for key in env:
        if key.startswith(prefix):
            head = key[len(prefix) :].split(SEP, 1)[0]
            if head and head not in shape and f"{SEP}{head}" not in (_SHAPED, _OTHER):
                shape[head] = (env.get(prefix + head), load(env, prefix + head))
    return shape


def is_pseudo(name: str) -> bool:
    """Whether an environment entry is a shape's, not a name's."""
    return SEP in name


def base(name: str) -> str:
    """The variable a pseudo name belongs to."""
    return name.split(SEP, 1)[0]


def merge(first: Shape | None, second: Shape | None) -> Shape | None:
    """The shape of a value that is one or the other (or `{**first, **second}`)."""
    if first is None or second is None:
        return None
    merged: Shape = dict(first)
    for key, (value, inner) in second.items():
        if key in merged:
            old_value, old_inner = merged[key]
            merged[key] = (combine(old_value, value), merge(old_inner, inner))
        else:
            merged[key] = (value, inner)
    return merged


def translated(shape: Shape, carry: Callable[[Taint], Taint | None]) -> Shape:
    """A callee's returned shape in the caller's terms."""
    return {
        key: (
            carry(value) if value is not None else None,
            translated(inner, carry) if inner else inner,
        )
        for key, (value, inner) in shape.items()
    }


def whole(shape: Shape) -> Taint | None:
    """Everything a shaped value holds, as one taint."""
    return combine(
        *(combine(value, whole(inner) if inner else None) for value, inner in shape.values())
    )


def keys_read(
    function: ast.FunctionDef | ast.AsyncFunctionDef, param: str
) -> frozenset[str] | None:
    """The literal keys a function reads its parameter by, when that is all it does with it
    (`p["count"]`, `p.get("count")`); None when it uses the parameter otherwise."""
    cache = _READS.setdefault(function, {})
    if param in cache:
        return cache[param]
    keys: set[str] = set()
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(function):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    found: frozenset[str] | None = frozenset()
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == param):
            continue
        parent = parents.get(id(node))
        key: str | None = None
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = literal_key(parent.slice)
            if not isinstance(parent.ctx, ast.Load):
                key = None
        elif isinstance(parent, ast.Attribute) and parent.attr == "get":
            call = parents.get(id(parent))
            if isinstance(call, ast.Call) and call.func is parent and call.args:
                key = literal_key(call.args[0])
        if key is None:
            found = None
            break
        keys.add(key)
    result = frozenset(keys) if found is not None else None
    cache[param] = result
    return result
