"""The project model: one static, cross-file model of the Django project per run.

`project.analysis(ProjectModel)` builds it once per run; it reads the
top level of every parsed module (no re-parsing, nothing imported) and builds
the models eagerly. Settings, migrations and the rest are built on first use.
See docs/project-model.md for the API the checks rely on.
"""

from __future__ import annotations

import ast
import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING

from djreview.project import facts_context
from djreview.project.admin import AdminCollector, AdminInfo
from djreview.project.apps import AppRegistry
from djreview.project.builtin import BUILTIN_PREFIX, builtin_files
from djreview.project.classes import ClassTable
from djreview.project.django_models import ModelCollector
from djreview.project.drf import APIViewInfo, DRFCollector, SerializerInfo
from djreview.project.dtl import Template
from djreview.project.graphql import GraphQLCollector, GraphQLSchema
from djreview.project.graphql_kept import kept_schema
from djreview.project.migrations import MigrationIndex, read_migration
from djreview.project.model_getters import MODEL_CLASS_GETTERS, label_of_getter_call
from djreview.project.model_types import ModelInfo
from djreview.project.models_kept import ModelBlock, kept_models
from djreview.project.modules import (
    ModuleInfo,
    NameResolver,
    build_modules,
    dotted_name,
    read_module,
)
from djreview.project.relations import (
    USER_MODEL_GETTERS,
    ModelLookup,
    build_reverse,
    resolve_targets,
)
from djreview.project.settings import SettingsInfo
from djreview.project.signals import SaveReceivers, models_with_save_receivers
from djreview.project.templates import TemplateFinder, TemplateInfo
from djreview.project.types import Scope, TypeResolver
from djreview.project.urls import URLCollector, URLPattern
from djreview.project.views import ViewCollector, ViewInfo
from djreview.project.views_kept import kept_views
from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.source.project import Project

DEFAULT_USER_MODEL = "auth.User"
DEFAULT_CONTRIB_APPS = frozenset({"admin", "auth", "contenttypes", "sessions"})


class ProjectModel:
    """Models, modules, settings and migrations of one project, resolved statically.

    Stable API (documented in docs/project-model.md): `models`, `model()`,
    `modules`, `module_for()`, `resolve_name()`, `model_for_class()`,
    `model_of_expr()`, `user_model`, `migration_indexes`, `settings`.
    """

    @classmethod
    def build(cls, project: Project) -> ProjectModel:
        """The model of `project` (called once per run by `Project.analysis`)."""
        return cls(project.files, project)

    def __init__(self, files: list[SourceFile], project: Project | None = None) -> None:
        self.files = files
        self._project = project
        # Module name -> paths of files hidden behind an earlier file with the same
        # module name (several projects in one tree); names in them are not followed.
        self.shadowed_modules: dict[str, list[str]] = {}
        self.modules: dict[str, ModuleInfo] = build_modules(files, self.shadowed_modules, project)
        self._by_rel = {module.rel: module for module in self.modules.values()}
        for name, file in builtin_files():
            self.modules.setdefault(name, read_module(name, file, False))
        self.resolver = NameResolver(self.modules)
        self.classes = ClassTable(self.modules, self.resolver)
        self.apps = AppRegistry(self.modules, self.resolver)
        self._user_label = self._auth_user_model()
        self.swapped = (
            {DEFAULT_USER_MODEL} if self.user_model_label != DEFAULT_USER_MODEL else set()
        )
        block = kept_models(project, self) if project is not None else self.build_models()
        self._models_block = block
        self._by_class = block.by_class
        self.models = block.models
        self.lookup = block.lookup
        self._class_models: dict[str, ModelInfo | None] = {}

    def build_models(self) -> ModelBlock:
        """Collect the models, resolve their relations' targets, add the reverse accessors."""
        collector = ModelCollector(self.modules, self.classes, self.apps, self.default_auto_field)
        by_class = collector.collect()
        models: dict[str, ModelInfo] = {}
        # Project models first, so a project app reusing a contrib label wins.
        for info in sorted(by_class.values(), key=lambda m: m.builtin):
            models.setdefault(info.label, info)
        lookup = ModelLookup(models, by_class)
        resolve_targets(collector.pending, lookup, self.classes, self.user_model_label)
        left_out = self.swapped | {
            m.label
            for m in models.values()
            if m.builtin and m.app_label not in self.installed_builtin_apps
        }
        build_reverse(models, lookup, left_out)
        return ModelBlock(by_class, models, lookup)

    def models_shape(self) -> str:
        """A digest of every model's facts, positions left out (once per set of models)."""
        block = self._models_block
        if block.shape_digest is None:
            block.shape_digest = facts_context.digest(facts_context.shape(self.models))
        return block.shape_digest

    # -- settings-derived ------------------------------------------------------

    @cached_property
    def settings(self) -> SettingsInfo:
        """The settings modules, evaluated statically (built on first use)."""
        return SettingsInfo(
            {k: v for k, v in self.modules.items() if not v.rel.startswith(BUILTIN_PREFIX)}
        )

    @cached_property
    def installed_builtin_apps(self) -> frozenset[str]:
        """Labels of the django.contrib apps with models that INSTALLED_APPS lists.

        When INSTALLED_APPS cannot be read, startproject's defaults are assumed.
        """
        installed = self.settings.literal("INSTALLED_APPS")
        if not isinstance(installed, list | tuple):
            return DEFAULT_CONTRIB_APPS
        labels = set()
        for entry in installed:
            if isinstance(entry, str) and entry.startswith("django.contrib."):
                labels.add(entry.split(".")[2])
        return frozenset(labels)

    def _auth_user_model(self) -> str | None:
        found = self.settings.get("AUTH_USER_MODEL")
        if found is None:
            values = {
                v.value if isinstance(v.value, str) else None
                for v in self.settings.values_of("AUTH_USER_MODEL").values()
            }
            if len(values) == 1:
                return values.pop()
            return DEFAULT_USER_MODEL if not values else None
        return found.value if isinstance(found.value, str) else None

    @property
    def default_auto_field(self) -> str | None:
        """The DEFAULT_AUTO_FIELD setting, when the settings give one."""
        found = self.settings.get("DEFAULT_AUTO_FIELD")
        return found.value if found is not None and isinstance(found.value, str) else None

    @property
    def user_model_label(self) -> str | None:
        """AUTH_USER_MODEL's label ("auth.User" by default), None if settings disagree."""
        return self._user_label

    @property
    def user_model(self) -> ModelInfo | None:
        """The user model (AUTH_USER_MODEL aware), None when it cannot be known."""
        return self.model(self._user_label) if self._user_label else None

    # -- models ------------------------------------------------------------------

    def model(self, label_or_name: str, *, from_app: str | None = None) -> ModelInfo | None:
        """A model by "app_label.Model" (model name in any case) or by bare class name.

        A bare name is looked up in `from_app` when given, else only returned
        when exactly one project model (or one built-in) has that name.
        """
        if "." in label_or_name:
            return self.lookup.label(label_or_name)
        return self.lookup.name(label_or_name, from_app)

    def model_for_class(self, qualified_name: str) -> ModelInfo | None:
        """The model defined by the class at `qualified_name` (after re-exports)."""
        return self._by_class.get(qualified_name) or self._by_class.get(
            self.resolver.canonical(qualified_name)
        )

    # -- names -----------------------------------------------------------------

    def module_for(self, file: SourceFile) -> ModuleInfo | None:
        """The ModuleInfo of a project file (None for templates or unparsable paths)."""
        return self._by_rel.get(file.rel)

    def resolve_name(self, module: str, dotted: str) -> str | None:
        """The qualified name `dotted` refers to in `module` ("m.Post" -> "blog.models.Post").

        Follows aliases, relative imports, re-exports via `__init__` and star
        imports; names from outside the project come back as imported
        ("django.db.models.Q"); None when `module` does not bind the name.
        """
        return self.resolver.resolve(module, dotted)

    def model_of_expr(self, module: str, expr: ast.expr) -> ModelInfo | None:
        """The model an expression naming a model class refers to, seen from `module`.

        Handles `Post`, `m.Post`, `get_user_model()`, `settings.AUTH_USER_MODEL`
        strings' class, `apps.get_model("blog", "Post")` and swapper's
        `load_model()`, and module-level aliases such as `User = get_user_model()`.
        """
        if isinstance(expr, ast.Call):
            callee = dotted_name(expr.func)
            if not expr.args and callee and self.resolve_name(module, callee) in USER_MODEL_GETTERS:
                return self.user_model
            named = label_of_getter_call(
                expr, lambda name: self.resolve_name(module, name), MODEL_CLASS_GETTERS
            )
            return self.model(named) if named is not None else None
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        qualified = self.resolve_name(module, dotted)
        return self.model_named(qualified, expr) if qualified is not None else None

    def model_named(self, qualified: str, expr: ast.expr | None = None) -> ModelInfo | None:
        """The model a qualified name refers to: its class, or a module-level alias of one.

        `expr` is the expression being resolved, when the name came from one:
        an alias bound to that same expression (`User = User`) stops the walk.
        """
        found = self.model_for_class(qualified)
        if found is not None:
            return found
        assigned = self.classes.assignment(qualified)
        if assigned is not None and assigned[1] is not expr:
            return self.model_of_expr(assigned[0].name, assigned[1])
        return None

    @cached_property
    def save_receivers(self) -> SaveReceivers:
        """The models with `pre_save`/`post_save` receivers in the project."""
        return models_with_save_receivers(self)

    # -- expression types ---------------------------------------------------------

    @cached_property
    def types(self) -> TypeResolver:
        """Expression typing (see types.py): `index.types.type_of(expr, Scope(...))`."""
        return TypeResolver(self)

    def class_model(self, qualified: str) -> ModelInfo | None:
        """The model a view, viewset, form, serializer or ModelAdmin class works on.

        From `model = X`, `queryset = X.objects...`, `Meta.model`, or what
        `get_queryset` returns, on the class or its project ancestors.
        """
        if qualified in self._class_models:
            return self._class_models[qualified]
        self._class_models[qualified] = None  # cycle guard
        found = self._class_model(qualified)
        self._class_models[qualified] = found
        return found

    def _class_model(self, qualified: str) -> ModelInfo | None:
        for attribute in ("model", "queryset"):
            value = self.classes.attribute(qualified, attribute)
            if value is not None:
                typed = self.types.type_of(value[1], Scope(value[0].name))
                if typed is not None and typed.kind in ("class", "manager", "queryset"):
                    return typed.model
        meta = self.classes.inner_attribute(qualified, "Meta", "model")
        if meta is not None:
            return self.model_of_expr(meta[0].name, meta[1])
        method = self.classes.method(qualified, "get_queryset")
        if method is not None:
            module, function = method
            scope = Scope(module.name, function)
            models = {
                typed.model.label
                for node in ast.walk(function)
                if isinstance(node, ast.Return)
                and node.value is not None
                and (typed := self.types.type_of(node.value, scope)) is not None
                and typed.is_queryset
            }
            if len(models) == 1:
                return self.model(models.pop())
        return None

    # -- views, URLs, templates ------------------------------------------------------

    @cached_property
    def views(self) -> dict[str, ViewInfo]:
        """Function and class-based views by qualified name (built on first use)."""
        return kept_views(self._project, self) if self._project else ViewCollector(self).collect()

    @cached_property
    def urls(self) -> list[URLPattern]:
        """URL patterns reachable from ROOT_URLCONF (else from every `urls` module)."""
        return URLCollector(self).collect()

    @cached_property
    def routed_views(self) -> frozenset[str]:
        """Qualified names of the views (and viewsets) some URL pattern routes to."""
        return frozenset(pattern.view for pattern in self.urls if pattern.view)

    @cached_property
    def template_finder(self) -> TemplateFinder:
        """Template lookup in Django's loader order (see templates.py)."""
        return TemplateFinder(self)

    def template(self, name: str) -> TemplateInfo | None:
        """The project template Django would load for `name`, parsed; None if not found."""
        return self.template_finder.find(name)

    def parsed_template(self, file: SourceFile) -> Template:
        """The DTL tree of a template file (parsed once per run)."""
        return self.template_finder.parse(file)

    # -- DRF and admin ------------------------------------------------------------------

    @cached_property
    def serializers(self) -> dict[str, SerializerInfo]:
        """DRF serializers by qualified name (built on first use)."""
        return DRFCollector(self).serializers()

    @cached_property
    def api_views(self) -> dict[str, APIViewInfo]:
        """DRF views and viewsets by qualified name (built on first use)."""
        return DRFCollector(self).views()

    @cached_property
    def admin(self) -> list[AdminInfo]:
        """Admin registrations with their ModelAdmin options (built on first use)."""
        return AdminCollector(self).collect()

    @cached_property
    def graphql(self) -> GraphQLSchema:
        """graphene/strawberry types and fields (empty when no module imports them)."""
        return (
            kept_schema(self._project, self) if self._project else GraphQLCollector(self).collect()
        )

    # -- migrations --------------------------------------------------------------

    @cached_property
    def migration_indexes(self) -> list[MigrationIndex]:
        """Indexes created by migrations (AddIndex, RunSQL CREATE INDEX, db_index=True...)."""
        by_table = {m.db_table: m.label for m in self.models.values() if not m.abstract}
        found: list[MigrationIndex] = []
        for module in self.modules.values():
            parts = module.name.split(".")
            if len(parts) < 2 or parts[-2] != "migrations" or module.rel.startswith(BUILTIN_PREFIX):
                continue
            package = ".".join(parts[:-2])
            app_label = self.apps.label_for_package(package)
            for item in self._migration(module, app_label):
                if item.model is None and item.table is not None and item.table in by_table:
                    item = dataclasses.replace(item, model=by_table[item.table])
                found.append(item)
        return found

    def _migration(self, module: ModuleInfo, app_label: str) -> tuple[MigrationIndex, ...]:
        """One migration's indexes; a session keeps them while the file and the models stay."""
        project = self._project
        if project is None or project.memo is None:
            return tuple(read_migration(module, app_label, self._migration_model))
        context = facts_context.digest(facts_context.model_context(project, self), app_label)
        return project.per_file(
            "migration-indexes",
            module.file,
            context,
            lambda _file: tuple(read_migration(module, app_label, self._migration_model)),
        )

    def _migration_model(self, app_label: str, model_name: str) -> str | None:
        found = self.lookup.label(f"{app_label}.{model_name}")
        return found.label if found is not None else None
