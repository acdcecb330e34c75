"""Dangerous calls: which argument of which call is a sink of which kind."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from djreview.taint.names import Callee, resolve_callee
from djreview.taint.sources import dotted

SQL_METHODS = frozenset({"raw", "execute", "executemany"})
# Every call name `_sql` treats as a sink: the methods, `RawSQL(...)` and `.extra(...)`.
SQL_CALLS = SQL_METHODS | frozenset({"RawSQL", "extra"})
SHELL_FUNCTIONS = frozenset(
    {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"}
)
SUBPROCESS = frozenset({"run", "call", "check_call", "check_output", "Popen"})

DESERIALISERS = frozenset(
    {
        "pickle.loads",
        "pickle.load",
        "cPickle.loads",
        "marshal.loads",
        "marshal.load",
        "dill.loads",
        "dill.load",
        "jsonpickle.decode",
        "shelve.open",
        "yaml.unsafe_load",
        "yaml.full_load",
    }
)
HTTP_CLIENTS = frozenset({"requests", "httpx", "session", "client"})
HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
)
HTML_RESPONSES = frozenset(
    {
        "HttpResponse",
        "HttpResponseBadRequest",
        "HttpResponseNotFound",
        "HttpResponseForbidden",
        "HttpResponseServerError",
        "HttpResponseNotAllowed",
        "HttpResponseGone",
    }
)
REDIRECTS = frozenset({"redirect", "HttpResponseRedirect", "HttpResponsePermanentRedirect"})
PATH_FUNCTIONS = frozenset(
    {
        "open",
        "io.open",
        "os.remove",
        "os.unlink",
        "os.rmdir",
        "os.listdir",
        "os.makedirs",
        "shutil.rmtree",
        "shutil.copy",
        "shutil.copyfile",
        "shutil.move",
        "os.rename",
        "codecs.open",
    }
)
PATH_METHODS = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "iterdir"}
)
# Not `save`: since Django 3.2.1 Storage.save() rejects absolute names and `..` parts
# (validate_file_name); the others only keep the name inside the storage's root.
STORAGE_METHODS = frozenset({"open", "delete", "path", "listdir"})
TEMPLATE_CLASSES = frozenset({"Template", "from_string"})
CODE_FUNCTIONS = frozenset({"eval", "exec", "compile"})
ORM_WRITES = frozenset(
    {
        "create",
        "update",
        "get_or_create",
        "update_or_create",
        "filter",
        "exclude",
        "get",
        "bulk_update",
    }
)
MARK_SAFE = frozenset({"mark_safe", "SafeString", "SafeText"})
# The same callees by qualified name (DJR301 resolves each callee through the imports).
MARK_SAFE_QUALIFIED = frozenset(
    {
        "django.utils.safestring.mark_safe",
        "django.utils.safestring.SafeString",
        "django.utils.safestring.SafeText",
        # django.utils.html re-exports them.
        "django.utils.html.mark_safe",
        "django.utils.html.SafeString",
        # Not imported anywhere in the module: a star import may have brought it.
        *MARK_SAFE,
    }
)
MAIL_FUNCTIONS = frozenset({"send_mail", "send_mass_mail", "mail_admins", "mail_managers"})
# Where the sinks matched by their last name live: a callee of that name imported from
# anywhere else, or defined in the module, is a look-alike and no sink.
HOMES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(MARK_SAFE, ("django.utils.safestring", "django.utils.html")),
    **dict.fromkeys(HTML_RESPONSES | REDIRECTS, ("django.http", "django.shortcuts")),
    **dict.fromkeys(MAIL_FUNCTIONS, ("django.core.mail",)),
    "RawSQL": ("django.db.models",),
    "Template": ("django.template", "jinja2"),
    "urlopen": ("urllib.request", "urllib2", "six.moves.urllib"),
}
# Builtins are sinks only when called by their bare name and not rebound by the module.
BUILTIN_SINKS = CODE_FUNCTIONS | frozenset({"getattr", "setattr", "open"})


@dataclass(frozen=True, slots=True)
class Sink:
    """One argument of a call that must not hold request data."""

    kind: str
    call: ast.Call
    arg: ast.expr
    what: str


def _first(call: ast.Call, keyword: str | None = None) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _receiver(call: ast.Call) -> str:
    """A method call's receiver, lower-cased, subscripts dropped (`engines["x"].f()`: engines)."""
    if not isinstance(call.func, ast.Attribute):
        return ""
    node = call.func.value
    while isinstance(node, ast.Subscript):
        node = node.value
    return dotted(node).lower()


def _sql(call: ast.Call, name: str) -> list[Sink]:
    if name in SQL_METHODS and isinstance(call.func, ast.Attribute):
        arg = _first(call, "sql" if name != "raw" else "raw_query")
        return [Sink("sql", call, arg, f"{name}()")] if arg is not None else []
    if name == "RawSQL":
        arg = _first(call, "sql")
        return [Sink("sql", call, arg, "RawSQL()")] if arg is not None else []
    if name == "extra" and isinstance(call.func, ast.Attribute):
        return [
            Sink("sql", call, kw.value, f"extra({kw.arg}=...)")
            for kw in call.keywords
            if kw.arg in {"where", "select", "tables", "order_by"}
        ]
    return []


def _shell(call: ast.Call, callee: Callee) -> list[Sink]:
    """The command a shell runs; without a shell, only the program an argument list starts."""
    name, full, what = callee.name, callee.full, dotted(call.func) or callee.name
    arg = _first(call, "args")
    if arg is None:
        return []
    if full in SHELL_FUNCTIONS:
        return [Sink("shell", call, arg, f"{what}()")]
    bare = full in SUBPROCESS and not callee.local  # `run(...)`, bound nowhere: a star import
    if name not in SUBPROCESS or not (full.startswith("subprocess.") or bare):
        return []
    if any(kw.arg == "shell" and _is_true(kw.value) for kw in call.keywords):
        return [Sink("shell", call, arg, f"{what}(shell=True)")]
    # Without a shell, arguments after the program cannot start a second command.
    if isinstance(arg, ast.List | ast.Tuple):
        head = arg.elts[0] if arg.elts and not isinstance(arg.elts[0], ast.Starred) else None
        return [Sink("shell", call, head, f"{what}()")] if head is not None else []
    if isinstance(arg, ast.JoinedStr | ast.BinOp | ast.Constant):
        return [Sink("shell", call, arg, f"{what}()")]
    return []


def _mass(call: ast.Call, name: str, builtin: bool) -> list[Sink]:
    """`create(**data)`, `Model(**data)`, `setattr(obj, key, ...)`: the client picks the fields."""
    if name == "setattr" and builtin and len(call.args) >= 2:
        return [Sink("mass", call, call.args[1], "setattr()")]
    if name in ORM_WRITES or (name[:1].isupper() and not name.isupper()):
        return [
            Sink("mass", call, kw.value, f"{name}(**...)")
            for kw in call.keywords
            if kw.arg is None and not _fixed_keys(kw.value)
        ]
    return []


def _fixed_keys(node: ast.expr) -> bool:
    """`{"slug": x}` or `dict(slug=x)`: the code, not the data, names the fields."""
    if isinstance(node, ast.Dict):
        return all(isinstance(key, ast.Constant) for key in node.keys)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
        and not node.args
    )


def sinks_of(call: ast.Call, names: dict[str, str] | None = None) -> list[Sink]:
    """Every sink argument of `call` (usually none, sometimes several).

    With the module's import table (`taint.names.module_names`), the callee is
    matched by its qualified name: `import subprocess as sp; sp.run(...)`,
    `from requests import get; get(url)` and `redirect as go` are sinks, a
    `redirect` from another library or defined in the module is not. Without
    it (older callers), the callee is matched as spelled.
    """
    callee = resolve_callee(call.func, names)
    name = callee.name
    if not name:
        return []
    if name in HOMES and not callee.homed_in(*HOMES[name]):
        return _mass(call, name, _builtin(call, callee))
    found = _sql(call, name) + _shell(call, callee) + _mass(call, name, _builtin(call, callee))
    arg = _first(call)
    if arg is None:
        return found
    return found + _by_name(call, callee, arg)


def _builtin(call: ast.Call, callee: Callee) -> bool:
    """`open(...)`, `eval(...)`: a builtin called by its bare name, not rebound or imported."""
    if callee.imported:
        return callee.full in {f"builtins.{callee.name}", "io.open"}
    return isinstance(call.func, ast.Name) and not callee.local


def _by_name(call: ast.Call, callee: Callee, arg: ast.expr) -> list[Sink]:
    """The sinks keyed by the callee's (resolved) name: at most one per call."""
    name, full = callee.name, callee.full
    receiver = callee.receiver if callee.imported else _receiver(call)
    # Messages name the call as written (`sp.run()`), matching uses the resolved name.
    what = dotted(call.func) or name
    found: list[Sink] = []
    function = _builtin(call, callee)
    if name == "set_password" and isinstance(call.func, ast.Attribute):
        found.append(Sink("password", call, arg, "set_password()"))
    elif name in MARK_SAFE:
        found.append(Sink("markup", call, arg, f"{name}()"))
    elif name in CODE_FUNCTIONS and function:
        found.append(Sink("code", call, arg, f"{name}()"))
    elif full == "import_module" or full.endswith("importlib.import_module"):
        found.append(Sink("dispatch", call, arg, "import_module()"))
    elif name == "getattr" and function and len(call.args) >= 2:
        found.append(Sink("dispatch", call, call.args[1], "getattr()"))
    elif name in TEMPLATE_CLASSES and (name == "Template" or "engine" in receiver):
        found.append(Sink("template", call, arg, f"{what}()"))
    elif full in DESERIALISERS:
        found.append(Sink("deserialize", call, arg, f"{what}()"))
    elif name in HTML_RESPONSES and not _non_html(call):
        content = _first(call, "content")
        if content is not None:
            found.append(Sink("html", call, content, f"{name}()"))
    elif name in REDIRECTS:
        found.append(Sink("redirect", call, _first(call, "redirect_to") or arg, f"{name}()"))
    elif name in HTTP_METHODS and receiver.split(".")[-1] in HTTP_CLIENTS:
        url = call.args[1] if name == "request" and len(call.args) > 1 else _first(call, "url")
        if url is not None:
            found.append(Sink("ssrf", call, url, f"{what}()"))
    elif name == "urlopen":
        found.append(Sink("ssrf", call, arg, "urlopen()"))
    elif _opens_path(name, full, receiver, function):
        found.append(Sink("path", call, arg, f"{what}()"))
    elif name in MAIL_FUNCTIONS:
        html = _keyword(call, "html_message")
        if html is not None:
            found.append(Sink("email_html", call, html, f"{name}(html_message=...)"))
    elif name == "attach_alternative" and len(call.args) >= 2:
        found.append(Sink("email_html", call, arg, "attach_alternative()"))
    elif name in {"writerow", "writerows"} and "writer" in receiver:
        found.append(Sink("csv", call, arg, f"{name}()"))
    return found


def _opens_path(name: str, full: str, receiver: str, function: bool) -> bool:
    if full in PATH_FUNCTIONS or (name == "open" and function):
        return True
    return name in STORAGE_METHODS and "storage" in receiver


def path_method_sink(call: ast.Call) -> Sink | None:
    """`Path(x).read_text()` and friends: the receiver is the sink."""
    if isinstance(call.func, ast.Attribute) and call.func.attr in PATH_METHODS:
        return Sink("path", call, call.func.value, f"{call.func.attr}()")
    return None


def _non_html(call: ast.Call) -> bool:
    """An explicit non-HTML content type (text/plain, JSON) makes a response safe from XSS."""
    ctype = _keyword(call, "content_type")
    if ctype is None and len(call.args) >= 2:
        ctype = call.args[1]
    if isinstance(ctype, ast.Constant) and isinstance(ctype.value, str):
        return "html" not in ctype.value and "xml" not in ctype.value
    return ctype is not None


def is_true(node: ast.expr | None) -> bool:
    """Whether `node` is the literal True."""
    return _is_true(node)
