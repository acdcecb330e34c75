"""A POST field behind the CSRF token: chosen by the site's own pages, or by the attacker?

With `CsrfViewMiddleware` on and the view not `csrf_exempt`, a cross-site
link or form cannot post to the view: a field of the POST body holds what
one of the site's own forms put there. It is attacker-chosen only when such
a form fills it from request data (a hidden `next` copied from `?next=`).

The forms that post to the view are those whose `action` names one of its
URL names (`{% url 'site:switch' %}`, Jinja's `url("switch")`) and the
self-posting forms (`action=""`, none, `{{ request.get_full_path }}`) of the
templates the view renders. Their elements named like the field are the
fillers; each must be a literal, a URL tag or a context value the code sets
only from `build_absolute_uri()`, `get_full_path()`, `request.path`,
`reverse()` or `get_absolute_url()`. When no form posting to the view is
found, the field counts as the site's own only if the project has forms of
its own to read and no template and no script of it names the field at all
(only a forged POST could set it); a project with no forms in its templates
(its pages live elsewhere, a single-page app) keeps every POST field as
request data.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from djreview.checks.security._model_values import class_defining
from djreview.checks.security._settings import deployed_modules
from djreview.checks.security.security_middleware_missing import subclass_of
from djreview.project.project_model import ProjectModel
from djreview.source.discover import SKIP_DIRS
from djreview.source.file import UnreadableFile, read_regular_file
from djreview.source.project import Project
from djreview.source.test_code import skipped
from djreview.taint.function import Hit
from djreview.taint.sources import reads_post

_POST_KEY = re.compile(r"""POST\s*(?:\.get(?:list)?\(|\[)\s*["']([^"'\s]+)["']""")
_OTHER_READ = re.compile(r"\b(?:GET|body|data|query_params|COOKIES|FILES|META|headers)\b")
_FORM = re.compile(r"<form\b([^>]*)>(.*?)(?:</form>|$)", re.DOTALL | re.IGNORECASE)
_ACTION = re.compile(r"""\baction\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TEMPLATE_CODE = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)
_URL_NAME = re.compile(r"""^\s*url\s*\(?\s*["']([^"']+)["']""")
# A form object rendered whole may hold any of its declared fields.
_WHOLE_FORM = re.compile(
    r"\{\{\s*\w*form\w*\s*(?:\}\}|\|)|\.as_(?:p|table|ul|div)\b|\{%\s*(?:crispy|bootstrap_form|render_form)\b"
)
_INCLUDE = re.compile(r"""\{%\s*include\s+(?:["']([^"']+)["']|(\S+))""")
_SELF_ACTIONS = frozenset(
    {
        "",
        "#",
        ".",
        "{{ request.path }}",
        "{{ request.get_full_path }}",
        "{{ request.get_full_path() }}",
    }
)
_OWN_URL_CALLS = frozenset({"reverse", "reverse_lazy", "get_absolute_url", "resolve_url"})
_OWN_URL_NO_ARGS = frozenset({"build_absolute_uri", "get_full_path", "get_full_path_info"})
_OWN_PATHS = frozenset({"path", "path_info"})
_TEMPLATE_NAME = re.compile(r"[\w./-]+\.(?:html|jinja2?|djhtml|txt)$")
_JINJA = (".jinja", ".jinja2", ".j2")
_SCRIPTS = (".js", ".jsx", ".ts", ".tsx", ".vue", ".svelte")
_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
_NOT_OURS = frozenset({"node_modules", "dist", "vendor", "vendors", "bower_components", ".git"})


def set_by_own_pages(
    project: Project, hit: Hit, ignore: re.Pattern[str] | None = None, *, url: bool = False
) -> bool:
    """Whether the hit's request data is one POST field only the site's own pages fill.

    Another request read on the source's line makes it request data, unless `ignore`
    matches it (DJR314 leaves the Referer to its own exemption). With `url`, only the
    parts that choose where a URL goes count (the query string after `?` does not)."""
    posted = posted_behind_token(project, hit, ignore, url=url)
    if posted is None:
        return False
    view, field = posted
    pages = project.analysis(Pages)
    # Only a routed view: a helper's callers (one may be csrf_exempt) are not known here.
    routed, exempt = pages.url_names(view.names)
    return bool(routed) and not exempt and pages.own_field(view, routed, field)


def posted_behind_token(
    project: Project, hit: Hit, ignore: re.Pattern[str] | None = None, *, url: bool = False
) -> tuple[View, str] | None:
    """The view and field name when the hit's request data is one POST field, read by a
    view the CSRF middleware protects (not `csrf_exempt`, not DRF's own rules)."""
    one = hit.one_url_source if url else hit.one_source
    if not one or not reads_post(hit.steps[0]):
        return None
    where = hit.steps[0].location
    file = project.by_rel.get(where.path)
    if file is None or file.tree is None:
        return None
    line = file.line_text(where.start_line)
    at = line.find("POST", where.start_column - 1)
    key = _POST_KEY.match(line, at) if at >= 0 else None
    rest = line[: key.start()] + line[key.end() :] if key is not None else ""
    if key is None or _OTHER_READ.search(ignore.sub("", rest) if ignore else rest):
        return None
    view = enclosing_view(file.tree, where.start_line)
    if view is None or _csrf_exempt(view) or not project.analysis(Pages).csrf_on:
        return None
    return view, key.group(1)


@dataclass(frozen=True)
class View:
    """The function reading the field, its class, and what they name (URLs, templates)."""

    function: ast.FunctionDef | ast.AsyncFunctionDef
    cls: ast.ClassDef | None

    @property
    def names(self) -> frozenset[str]:
        """The names a URLconf may route to this view by (`views.flag`, `"pkg.FlagView"`)."""
        found = {self.cls.name} if self.cls is not None else set()
        if self.cls is None or not self.function.name.startswith(
            ("get", "post", "dispatch", "form_")
        ):
            found.add(self.function.name)
        return frozenset(found)

    def templates(self) -> set[str]:
        """Template names written as literals in the view (`template_name = "x.html"`)."""
        scope: ast.AST = self.cls if self.cls is not None else self.function
        return {
            node.value
            for node in ast.walk(scope)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _TEMPLATE_NAME.fullmatch(node.value)
        }


def enclosing_view(tree: ast.Module, line: int) -> View | None:
    """The innermost function around `line`, and the class it is a method of."""
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _spans(node, line)
    ]
    if not functions:
        return None
    function = max(functions, key=lambda node: node.lineno)
    return View(function, class_defining(tree, function))


def _spans(node: ast.stmt, line: int) -> bool:
    return node.lineno <= line <= (node.end_lineno or node.lineno)


def _csrf_exempt(view: View) -> bool:
    """`@csrf_exempt` on the function, or anywhere on its class (`method_decorator`), or a
    DRF view (its own CSRF rules)."""
    scopes: list[ast.AST] = [*view.function.decorator_list]
    if view.cls is not None:
        scopes += [*view.cls.decorator_list, *view.cls.bases]
        scopes += [
            decorator
            for item in view.cls.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            for decorator in item.decorator_list
        ]
    text = " ".join(ast.unparse(node) for node in scopes)
    return any(
        word in text for word in ("csrf_exempt", "APIView", "ViewSet", "api_view", "action(")
    )


def _csrf_middleware_on(project: Project) -> bool:
    """No deployed settings module whose MIDDLEWARE could be read leaves out Django's
    `CsrfViewMiddleware` (or a project subclass of it)."""
    model = project.analysis(ProjectModel)
    for deployed in deployed_modules(project):
        value = deployed.value("MIDDLEWARE")
        listed = value.value if value is not None else None
        if isinstance(listed, list | tuple) and not any(
            isinstance(item, str) and subclass_of(model, item, _CSRF_MIDDLEWARE, 0)
            for item in listed
        ):
            return False
    return True


@dataclass(frozen=True)
class _Form:
    """A `<form>` of a template; `body` has its template code masked (see `_mask`)."""

    template: str
    action: str
    body: str
    codes: tuple[str, ...]

    @property
    def text(self) -> str:
        """The body as written."""
        return _unmask(self.body, self.codes)


def _mask(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` with each `{{ ... }}` / `{% ... %}` replaced by a token holding no quote or
    `>`, so that `value="{{ url("x") }}"` parses as one attribute."""
    codes: list[str] = []

    def hide(match: re.Match[str]) -> str:
        codes.append(match.group(0))
        return f"\x00{len(codes) - 1}\x00"

    return _TEMPLATE_CODE.sub(hide, text), tuple(codes)


def _unmask(text: str, codes: tuple[str, ...]) -> str:
    return re.sub("\x00(\\d+)\x00", lambda match: codes[int(match.group(1))], text)


class Pages:
    """The project's forms, context values and scripts, read once per run."""

    @classmethod
    def build(cls, project: Project) -> Pages:
        """The forms of every template of `project`."""
        return cls(project)

    def __init__(self, project: Project) -> None:
        self.project = project
        self.csrf_on = _csrf_middleware_on(project)
        # Jinja pages too (`.jinja`, `.j2`), which the rules' template files leave out.
        self.templates = {
            file.rel: file.text
            for file in project.files
            if file.kind == "template" and not skipped(file.rel)
        } | self._read(_JINJA)
        self.forms = [
            _Form(rel, _unmask(_action(match.group(1)), codes), match.group(2), codes)
            for rel, text in self.templates.items()
            for masked, codes in [_mask(text)]
            for match in _FORM.finditer(masked)
        ]
        self._python = [file for file in project.python_files if not skipped(file.rel)]
        self._url_names: dict[frozenset[str], tuple[set[str], bool]] = {}
        self._entries: list[tuple[str, str | None, ast.Call]] | None = None
        self._context: dict[str, list[ast.expr] | None] = {}
        self._scripts: list[str] | None = None

    def own_field(self, view: View, names: set[str], field: str) -> bool:
        """Every form posting to `view` (routed by `names`) fills `field` only with the
        site's own values."""
        rendered = view.templates()
        forms = [
            form
            for form in self.forms
            if _url_name(form.action) in names
            or (form.action in _SELF_ACTIONS and _renders(form.template, rendered))
        ]
        if not forms:
            # Nothing we read posts here: the site's own only when its pages are here to read.
            return bool(self.forms) and not self.named_anywhere(field)
        if any(self.opaque(form, field) for form in forms):
            return False
        fillers = [
            _unmask(value, form.codes) for form in forms for value in _fillers(form.body, field)
        ]
        if not fillers:
            return not self.in_scripts(field)
        return all(self.own_value(value) for value in fillers)

    def opaque(self, form: _Form, field: str) -> bool:
        """Whether the form may hold the field in a part we do not read: a form object
        rendered whole when a class of the project declares an attribute of that name, or an
        included template that may name it (a template chosen at run time: any template
        without a form of its own that names it)."""
        text = form.text
        declared = re.compile(rf"^\s+{re.escape(field)}\s*[:=]", re.MULTILINE)
        if _WHOLE_FORM.search(text) and any(declared.search(file.text) for file in self._python):
            return True
        for include in _INCLUDE.finditer(text):
            literal = include.group(1)
            parts = [
                page
                for rel, page in self.templates.items()
                if (rel.endswith("/" + literal) if literal else not _FORM.search(page))
            ]
            if (literal and not parts) or any(self.names_in(page, field) for page in parts):
                return True
        return False

    def names_in(self, text: str, field: str) -> bool:
        """An element of the page, or its inline script or attribute, names the field."""
        element = re.compile(rf"""\bname\s*=\s*["']?{re.escape(field)}\b""")
        return bool(element.search(text) or _quoted(field, script=False).search(text))

    def url_names(self, names: frozenset[str]) -> tuple[set[str], bool]:
        """URL names (`name="switch"`) of every routed URL entry whose view is one of `names`,
        and whether one of those entries wraps it in `csrf_exempt()`."""
        if names not in self._url_names:
            found: set[str] = set()
            exempt = False
            for url_name, view, call in self.entries():
                if (view is not None and view.rsplit(".", 1)[-1] in names) or any(
                    _refers_to(arg, names) for arg in call.args
                ):
                    found.add(url_name)
                    exempt = exempt or "csrf_exempt" in ast.unparse(call)
            self._url_names[names] = (found, exempt)
        return self._url_names[names]

    def entries(self) -> list[tuple[str, str | None, ast.Call]]:
        """The named URL entries: name, view, and the `path(...)` call, whose arguments show
        wrappers such as `csrf_exempt(...)`. Those of the URLconf (`ProjectModel.urls`), and
        those a `get_urls()` method adds (`ModelAdmin.get_urls()`, an admin site's), which
        the URLconf reaches through `admin.site.urls` at run time."""
        if self._entries is None:
            self._entries = []
            for pattern in self.project.analysis(ProjectModel).urls:
                file = self.project.by_rel.get(pattern.location.path)
                if pattern.name is None or file is None:
                    continue
                line = pattern.location.start_line
                self._entries += [
                    (pattern.name, pattern.view, call)
                    for call in file.nodes_of(ast.Call)
                    if call.lineno == line and file.node_location(call) == pattern.location
                ]
            self._entries += [
                (name, None, call)
                for file in self._python
                for function in file.functions()
                if function.name == "get_urls"
                for call in ast.walk(function)
                if isinstance(call, ast.Call) and (name := _entry_name(call)) is not None
            ]
        return self._entries

    def named_anywhere(self, field: str) -> bool:
        """A template element, a template's inline script or attribute (`hx-vals='{"f": ...}'`)
        or a script file of the project names the field."""
        return self.in_scripts(field) or any(
            self.names_in(text, field) for text in self.templates.values()
        )

    def in_scripts(self, field: str) -> bool:
        """A script of the project names the field as a string (`hidden("path", ...)`)."""
        return any(_quoted(field).search(text) for text in self.scripts())

    def scripts(self) -> list[str]:
        """The project's own scripts (no vendored or built bundles)."""
        if self._scripts is None:
            self._scripts = list(self._read(_SCRIPTS).values())
        return self._scripts

    def _read(self, suffixes: tuple[str, ...]) -> dict[str, str]:
        """The project's own files ending in `suffixes` (no vendored or built ones), by path."""
        root = self.project.root
        found: dict[str, str] = {}
        limit = self.project.config.max_file_bytes
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = [
                name for name in subfolders if name not in _NOT_OURS and name not in SKIP_DIRS
            ]
            for name in names:
                path = Path(folder) / name
                rel = path.relative_to(root).as_posix()
                if not name.endswith(suffixes) or ".min." in name or skipped(rel):
                    continue
                try:
                    found[rel] = read_regular_file(path, limit).decode(errors="replace")
                except UnreadableFile:
                    continue  # as discovery would: an unreadable page fills no field
        return found

    def own_value(self, value: str) -> bool:
        """A filler written by the site: literal text, URL tags, and context values set only
        from the site's own URLs."""
        for match in _TEMPLATE_CODE.finditer(value):
            expression, tag = match.group(1), match.group(2)
            if tag is not None:
                if not tag.strip().startswith("url "):
                    return False
                continue
            if not self._own_expression(expression.split("|", 1)[0].strip()):
                return False
        return True

    def _own_expression(self, expression: str) -> bool:
        if _URL_NAME.match(expression) or expression in {"request.path", "request.path_info"}:
            return True
        if expression.rstrip("()") in {"request.get_full_path", "request.build_absolute_uri"}:
            return True
        if not expression.isidentifier():
            return False
        values = self.context_values(expression)
        return bool(values) and all(_own_url(node) for node in values or ())

    def context_values(self, key: str) -> list[ast.expr] | None:
        """Every value the code binds to context key `key` (`context["next"] = ...`,
        `{"next": ...}`, `next=...` in a call)."""
        if key not in self._context:
            found: list[ast.expr] = []
            for file in self._python:
                for node in file.nodes_of(ast.Assign):
                    found += [
                        node.value
                        for target in node.targets
                        if isinstance(target, ast.Subscript)
                        and isinstance(target.slice, ast.Constant)
                        and target.slice.value == key
                    ]
                for literal in file.nodes_of(ast.Dict):
                    found += [
                        value
                        for name, value in zip(literal.keys, literal.values, strict=True)
                        if isinstance(name, ast.Constant) and name.value == key
                    ]
                for call in file.nodes_of(ast.Call):
                    found += [kw.value for kw in call.keywords if kw.arg == key]
            self._context[key] = found
        return self._context[key]


def _entry_name(call: ast.Call) -> str | None:
    """`switch` for `path("switch/", view, name="switch")` (any call naming one)."""
    for keyword in call.keywords:
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value if isinstance(keyword.value.value, str) else None
    return None


def _quoted(field: str, *, script: bool = True) -> re.Pattern[str]:
    """The field named in a script: `"next"`, `'next'`, and a hand-built body `a=1&next=...`.
    In a template (`script=False`), only a string not written as an attribute's value
    (`class="next"` is no field) and no `?next=` (a link's query string)."""
    if script:
        return re.compile(rf"""["']{re.escape(field)}["']|[?&]{re.escape(field)}=""")
    return re.compile(rf"""(?<!=)["']{re.escape(field)}["']""")


def _action(attributes: str) -> str:
    found = _ACTION.search(attributes)
    if found is None:
        return ""
    return next(group for group in found.groups() if group is not None).strip()


def _url_name(action: str) -> str | None:
    """`switch` for `{% url 'site:switch' %}` or `{{ url("switch") }}`."""
    found = _TEMPLATE_CODE.fullmatch(action.strip())
    if found is None:
        return None
    code = (found.group(1) or found.group(2) or "").strip()
    name = _URL_NAME.match(code)
    return name.group(1).rsplit(":", 1)[-1] if name else None


def _renders(rel: str, templates: set[str]) -> bool:
    return any(rel == name or rel.endswith("/" + name) for name in templates)


def _refers_to(node: ast.expr, names: frozenset[str]) -> bool:
    """`views.flag`, `staff_member_required(self.switch_view)`, `FlagView.as_view()`,
    `"shop.views.FlagView"`."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id in names:
            return True
        if isinstance(part, ast.Attribute) and part.attr in names:
            return True
        if (
            isinstance(part, ast.Constant)
            and isinstance(part.value, str)
            and "." in part.value  # a dotted path to the view, not a route like "flag"
            and part.value.rsplit(".", 1)[-1] in names
        ):
            return True
    return False


def _fillers(body: str, field: str) -> Iterator[str]:
    """What fills the form's elements named `field`: `value`s, a textarea's text, options."""
    name = rf"""\bname\s*=\s*["']?{re.escape(field)}["'\s>]"""
    for element in re.finditer(r"<(input|button|textarea|select)\b([^>]*)>", body, re.IGNORECASE):
        attributes = element.group(2)
        if not re.search(name, attributes + ">"):
            continue
        tag = element.group(1).lower()
        if tag in {"textarea", "select"}:
            end = body.lower().find(f"</{tag}", element.end())
            inner = body[element.end() : end if end >= 0 else len(body)]
            yield inner
            continue
        value = re.search(r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", attributes)
        yield next((g for g in value.groups() if g is not None), "") if value else ""


def _own_url(node: ast.expr) -> bool:
    """`request.build_absolute_uri()`, `request.get_full_path()`, `reverse(...)`,
    `obj.get_absolute_url()`, `request.path`, a literal."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | type(None))
    if isinstance(node, ast.Attribute):
        return node.attr in _OWN_PATHS and ast.unparse(node.value).endswith("request")
    if isinstance(node, ast.Call):
        callee = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if callee in _OWN_URL_CALLS:
            return True
        return callee in _OWN_URL_NO_ARGS and not node.args and not node.keywords
    return False
