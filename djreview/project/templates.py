"""Finding templates by name the way Django's loaders do, and parsing them once.

Search order: each `TEMPLATES[...]["DIRS"]` entry (when the settings can be
read), then, with `APP_DIRS`, the `templates/` folder of every app in
`INSTALLED_APPS` order. When the settings cannot be read, every
`templates/` folder of the project is searched, shallowest first.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from djreview.project.dtl import Template, parse
from djreview.project.settings_eval import ProjectPath
from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel


@dataclass
class TemplateInfo:
    """A template file of the project with its parsed tree."""

    name: str
    file: SourceFile
    tree: Template

    @property
    def rel(self) -> str:
        """The file's project-relative path."""
        return self.file.rel


class TemplateFinder:
    """Resolves template names to project files; parses each file once, on demand."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index
        self.files = {file.rel: file for file in index.files if file.kind == "template"}
        self.dirs = self._search_dirs()
        self._parsed: dict[str, Template] = {}

    def _search_dirs(self) -> list[str]:
        configured = self._configured_dirs()
        return configured if configured is not None else self._all_template_folders()

    def _configured_dirs(self) -> list[str] | None:
        templates: Any = self.index.settings.literal("TEMPLATES")
        if not isinstance(templates, list):
            return None
        dirs: list[str] = []
        app_dirs = False
        for backend in templates:
            if not isinstance(backend, dict) or "django" not in str(backend.get("BACKEND", "")):
                continue
            for entry in backend.get("DIRS", []) or []:
                if isinstance(entry, ProjectPath):
                    dirs.append(entry.rel)
                elif isinstance(entry, str) and not entry.startswith("/"):
                    dirs.append(posixpath.normpath(entry))
                else:
                    return None  # a directory we cannot place: search everything instead
            app_dirs = (
                app_dirs
                or backend.get("APP_DIRS") is True
                or "loaders" in (backend.get("OPTIONS") or {})
            )
        if app_dirs:
            dirs.extend(self._app_template_dirs())
        return dirs

    def _app_template_dirs(self) -> list[str]:
        installed = self.index.settings.literal("INSTALLED_APPS")
        if not isinstance(installed, list | tuple):
            return [folder for folder in self._all_template_folders() if folder != "templates"]
        configs = {app.config_class: app.package for app in self.index.apps.apps.values()}
        found = []
        for entry in installed:
            package = entry if entry in self.index.modules else configs.get(entry)
            module = self.index.modules.get(package) if isinstance(package, str) else None
            if module is not None and module.is_package:
                found.append(posixpath.join(posixpath.dirname(module.rel), "templates"))
        return found

    def _all_template_folders(self) -> list[str]:
        folders = {
            rel[: rel.index("/templates/") + len("/templates")]
            if "/templates/" in rel
            else "templates"
            for rel in self.files
            if rel.startswith("templates/") or "/templates/" in rel
        }
        return sorted(folders, key=lambda folder: (folder.count("/"), folder))

    def find(self, name: str) -> TemplateInfo | None:
        """The file Django would load for template `name`, parsed (None when not in the project)."""
        for folder in self.dirs:
            rel = posixpath.normpath(posixpath.join(folder, name)) if folder != "." else name
            file = self.files.get(rel)
            if file is not None:
                return TemplateInfo(name, file, self.parse(file))
        return None

    def name_of(self, rel: str) -> str | None:
        """The name Django loads the template file `rel` by (its path under a search folder)."""
        for folder in self.dirs:
            prefix = "" if folder == "." else folder.rstrip("/") + "/"
            if rel.startswith(prefix):
                name = rel[len(prefix) :]
                found = self.find(name)
                if found is not None and found.rel == rel:
                    return name
        return None

    def parse(self, file: SourceFile) -> Template:
        """The DTL tree of a template file (parsed once per run)."""
        tree = self._parsed.get(file.rel)
        if tree is None:
            tree = parse(file.text)
            self._parsed[file.rel] = tree
        return tree
