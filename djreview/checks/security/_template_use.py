"""Whether anything can render a template: dead templates are not part of the deployed site.

A template is *unreferenced* (nothing can load it) only when every way Django or
the project could name it is ruled out; in doubt it counts as rendered:

- it has a name (its path under a template search folder; without one only a
  custom loader or a file read could load it, which we cannot see);
- its name starts with a folder that is one of the project's own app labels or
  packages and not one Django's views (`admin/`, `registration/`) or an
  installed app outside the project render from: a name at the top
  (`base.html`, `404.html`) or under another folder may be rendered by code
  that is not in the project;
- its name is not one Django derives by convention for a model of that app
  (`<app>/<model>_<suffix>.html` of the generic views, `<app>/<model>.html`);
- the name is written nowhere else in the project's code or templates (render,
  `template_name`, `get_template`, `{% include %}`, `{% extends %}`, a setting,
  a comment: any mention counts);
- no name the project builds matches it: every f-string, `%` or `.format()`
  template, `+` concatenation, `os.path.join()` (and `"..."|add:` in a template)
  whose literal pieces either start with a folder (`"emails/" + kind`) or end
  with the file's extension (`f"{kind}_email.html"`, `"%s.html" % page`) is a
  pattern, its computed parts matching anything; a template matching one is
  referenced (so `"%s.html" % page` keeps every `.html` template);
- no model field of the project (or of an installed contrib app, as flatpages'
  `template_name`) is named for a template: names stored in the database can
  be any, so then no template counts as unreferenced.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Self

from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project

_HOLE = None
# printf conversions and `str.format` fields: the computed parts of a template string.
_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{[^{}]*\}")
_JOINS = frozenset({"os.path.join", "posixpath.join"})
_TEMPLATE_ADD = re.compile(
    r"""(["'])([^"'{}]*)\1\s*\|\s*add\s*:|\|\s*add\s*:\s*(["'])([^"'{}]*)\3"""
)

# A field holding a template's name (flatpages' `template_name`), not a text template
# (`message_template`): such names are data, any template may be one.
_TEMPLATE_FIELD = re.compile(r"template|(?:\w+_)?template_(?:name|path|file)", re.IGNORECASE)

# Template folders Django's own views and contrib apps render from.
_DJANGO_FOLDERS = ("admin", "registration", "django", "admindocs", "flatpages", "gis")

Piece = str | None


@dataclass
class TemplateUse:
    """The project's template references, collected once per run on first use."""

    project: Project
    model: ProjectModel
    _names: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def build(cls, project: Project) -> Self:
        """The analysis of `project` (called once per run by `Project.analysis`)."""
        return cls(project, project.analysis(ProjectModel))

    def unreferenced(self, file: SourceFile) -> bool:
        """Whether nothing in the project can render the template `file` (see the module)."""
        name = self.model.template_finder.name_of(file.rel)
        if name is None or self._stores_template_names:
            return False
        folder, _, rest = name.partition("/")
        if not rest or folder not in self._own_folders or self._by_convention(folder, rest):
            return False
        if self._corpus.count(name) > file.text.count(name):
            return False
        return not any(_matches(shape, name) for shape in self._shapes)

    @cached_property
    def _own_folders(self) -> frozenset[str]:
        """App labels and last package names of the project's own apps and models."""
        found = {app.label for app in self.model.apps.apps.values()}
        found |= {app.package.rsplit(".", 1)[-1] for app in self.model.apps.apps.values()}
        found |= {m.app_label for m in self.model.models.values() if not m.builtin}
        return frozenset(found - self._foreign_folders)

    @cached_property
    def _foreign_folders(self) -> frozenset[str]:
        """Folders Django's views or an installed app not in the project render from.

        Django's own (`registration/` of the auth views, `admin/`), and every part of an
        INSTALLED_APPS entry that is not a project module (`allauth.account`: `account/`);
        a project app of the same name shares the folder with them (tabbycat's
        `registration` app and its login page).
        """
        found = set(_DJANGO_FOLDERS)
        # `shop.apps.ShopConfig` names a project app by its config class.
        configs = {app.config_class for app in self.model.apps.apps.values()}
        installed = self.model.settings.literal("INSTALLED_APPS")
        for entry in installed if isinstance(installed, list | tuple) else ():
            if isinstance(entry, str) and entry not in self.model.modules and entry not in configs:
                found.update(entry.split("."))
        return frozenset(found)

    def _by_convention(self, folder: str, rest: str) -> bool:
        """`<app>/<model>_<suffix>.html` (generic views) or `<app>/<model>.html` (CMS pages)."""
        if "/" in rest:
            return False
        stem = posixpath.splitext(rest)[0]
        for model in self.model.models.values():
            if model.app_label != folder:
                continue
            for spelled in (model.name.lower(), _snake(model.name)):
                if stem == spelled or stem.startswith(spelled + "_"):
                    return True
        return False

    @cached_property
    def _stores_template_names(self) -> bool:
        installed = self.model.installed_builtin_apps
        return any(
            _TEMPLATE_FIELD.fullmatch(field_name) is not None
            for model in self.model.models.values()
            if not model.builtin or model.app_label in installed
            for field_name in model.fields
        )

    @cached_property
    def _corpus(self) -> str:
        return "\x00".join(file.text for file in self.project.files)

    @cached_property
    def _shapes(self) -> tuple[tuple[Piece, ...], ...]:
        found: list[tuple[Piece, ...]] = []
        for file in self.project.files:
            if file.kind == "python" and file.tree is not None:
                found.extend(_python_shapes(file.tree))
            elif file.kind == "template":
                for match in _TEMPLATE_ADD.finditer(file.text):
                    prefix, suffix = match.group(2), match.group(4)
                    found.append((prefix, _HOLE) if prefix is not None else (_HOLE, suffix))
        return tuple(shape for shape in found if _names_a_file(shape))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _python_shapes(tree: ast.Module) -> Iterator[tuple[Piece, ...]]:
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        shape = _shape(node, constants)
        if shape is not None:
            yield _merged(shape)


def _shape(node: ast.AST, constants: dict[str, str]) -> list[Piece] | None:
    """The literal pieces and computed holes of a string-building expression."""
    if isinstance(node, ast.JoinedStr):
        return _pieces(node, constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        pieces = _pieces(node, constants)
        return pieces if any(piece for piece in pieces) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _fields(node.left.value) if _is_text(node.left) else None  # type: ignore[attr-defined]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format" and _is_text(node.func.value):
            return _fields(node.func.value.value)  # type: ignore[attr-defined]
        if dotted_name(node.func) in _JOINS and node.args:
            joined: list[Piece] = []
            for index, argument in enumerate(node.args):
                joined.extend((["/"] if index else []) + _pieces(argument, constants))
            return joined
    return None


def _pieces(node: ast.expr, constants: dict[str, str]) -> list[Piece]:
    if _is_text(node):
        return [node.value]  # type: ignore[attr-defined]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.JoinedStr):
        return [value.value if _is_text(value) else _HOLE for value in node.values]  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces(node.left, constants) + _pieces(node.right, constants)
    return [_HOLE]


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _fields(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in _FIELD.finditer(text):
        pieces.extend((text[position : match.start()], _HOLE))
        position = match.end()
    pieces.append(text[position:])
    return pieces


def _merged(shape: list[Piece]) -> tuple[Piece, ...]:
    """Adjacent literals joined, empty ones dropped, adjacent holes made one."""
    merged: list[Piece] = []
    for piece in shape:
        if piece == "":
            continue
        if merged and piece is not None and merged[-1] is not None:
            merged[-1] = str(merged[-1]) + piece
        elif not (merged and piece is None and merged[-1] is None):
            merged.append(piece)
    return tuple(merged)


def _names_a_file(shape: tuple[Piece, ...]) -> bool:
    """A built name that can be a template's: it starts with a folder, or ends with an extension.

    `f"{base}/{path}"`, `"%s.%s" % (a, b)` build URLs and dotted names; a template name
    built in code starts with its literal folder or ends with its literal extension.
    """
    if len(shape) < 2:
        return False
    first, last = shape[0], shape[-1]
    folder = first is not None and "/" in first.lstrip("/")
    extension = last is not None and re.search(r"\.[A-Za-z0-9]+\Z", last) is not None
    return folder or extension


def _matches(shape: tuple[Piece, ...], name: str) -> bool:
    pattern = "".join(".*" if piece is None else re.escape(piece) for piece in shape)
    return re.fullmatch(pattern, name, re.DOTALL) is not None
