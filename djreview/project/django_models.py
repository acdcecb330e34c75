"""Finding every Django model in the project and reading it as Django would.

A class is a model when it inherits from `django.db.models.Model` through any
chain of project classes (abstract bases and mixins in other modules
included), from one of Django's own models (kept as source in builtin.py), or
from a well-known third-party model base. Fields come from the class body and
from abstract bases (re-read in the child's context, so `"self"` and relative
string targets mean what they mean in Django); multi-table children get their
`<parent>_ptr` link and their parents' fields. Relation targets and reverse
accessors are resolved in `relations.py` once every model is known.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from djreview.project.apps import AppRegistry
from djreview.project.classes import ClassTable
from djreview.project.fields import (
    Declaration,
    FieldClass,
    field_assignment,
    field_info,
    forced_options,
    looks_like_field_class,
    relation_of,
    target_expr,
)
from djreview.project.managers import DEFAULT_MANAGER, ManagerReader
from djreview.project.meta import inherit_meta, meta_class, read_meta
from djreview.project.model_types import FieldInfo, ManagerInfo, ModelInfo
from djreview.project.modules import ModuleInfo, dotted_name

MODEL_ROOTS = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
FIELD_ROOTS = frozenset({"django.db.models.Field", "django.db.models.fields.Field"})
# Third-party abstract model bases that are models (their own fields stay unknown).
EXTERNAL_MODEL_BASES = frozenset(
    {
        "mptt.models.MPTTModel",
        "ordered_model.models.OrderedModel",
        "ordered_model.models.OrderedModelBase",
        "parler.models.TranslatableModel",
        "parler.models.TranslatedFieldsModel",
        "polymorphic.models.PolymorphicModel",
        "treebeard.mp_tree.MP_Node",
        "treebeard.ns_tree.NS_Node",
        "treebeard.al_tree.AL_Node",
        "modelcluster.models.ClusterableModel",
        "model_utils.models.TimeStampedModel",
        "model_utils.models.SoftDeletableModel",
        "model_utils.models.StatusModel",
        "model_utils.models.TimeFramedModel",
        "model_utils.models.UUIDModel",
        "django_extensions.db.models.TimeStampedModel",
        "django_extensions.db.models.TitleDescriptionModel",
        "django_extensions.db.models.TitleSlugDescriptionModel",
        "django_extensions.db.models.ActivatorModel",
        "taggit.models.TagBase",
        "taggit.models.ItemBase",
        "taggit.models.TaggedItemBase",
        "taggit.models.GenericTaggedItemBase",
        "taggit.models.CommonGenericTaggedItemBase",
        "taggit.models.GenericUUIDTaggedItemBase",
        "wagtail.models.Page",
        "wagtail.core.models.Page",
        "django.contrib.gis.db.models.Model",
        "django_prometheus.models.ExportModelOperationsMixin",
    }
)


# Where Django's own model field classes live: a class body that assigns one
# of these is a model's body, whatever base it names.
DJANGO_FIELD_MODULES = ("django.db.models.", "django.contrib.postgres.fields.")


@dataclass
class PendingTarget:
    """A relation whose target can only be resolved once every model is known."""

    field: FieldInfo
    expr: ast.expr | None
    through: ast.expr | None
    module: str
    model: ModelInfo


@dataclass
class _Built:
    info: ModelInfo
    declarations: list[Declaration] = field(default_factory=list)


class ModelCollector:
    """Builds ModelInfo for every model class; targets are resolved afterwards."""

    def __init__(
        self,
        modules: dict[str, ModuleInfo],
        classes: ClassTable,
        apps: AppRegistry,
        default_auto_field: str | None,
    ) -> None:
        self.modules = modules
        self.classes = classes
        self.apps = apps
        self.default_auto_field = default_auto_field
        self.managers = ManagerReader(classes)
        self.built: dict[str, _Built] = {}
        self.pending: list[PendingTarget] = []
        self._field_classes: dict[str, FieldClass | None] = {}
        self._inferred_bases: frozenset[str] | None = None

    # -- discovery ---------------------------------------------------------

    def is_model_class(self, qualified: str) -> bool:
        """True for a model class (not for `models.Model` itself)."""
        return qualified not in MODEL_ROOTS and self.classes.is_subclass(
            qualified, MODEL_ROOTS, self.external_model_base
        )

    def external_model_base(self, qualified: str) -> bool:
        """Whether a class outside the project is a model base.

        The known third-party bases, and any outside base of a project class
        that declares Django model fields: `class BaseModel(TimeStampedEditableModel):
        name = models.CharField(...)` is a model even though the package that
        ships `TimeStampedEditableModel` is not installed here.
        """
        if qualified in EXTERNAL_MODEL_BASES:
            return True
        if self._inferred_bases is None:
            self._inferred_bases = self._bases_of_field_declaring_classes()
        return qualified in self._inferred_bases

    def _bases_of_field_declaring_classes(self) -> frozenset[str]:
        found: set[str] = set()
        for module in self.modules.values():
            for node in module.classes():
                outside = [
                    base
                    for base in self.classes.bases(f"{module.name}.{node.name}")
                    if self.classes.get(base) is None and not base.startswith("django.")
                ]
                if outside and self._declares_django_field(node, module):
                    found.update(outside)
        return frozenset(found)

    def _declares_django_field(self, node: ast.ClassDef, module: ModuleInfo) -> bool:
        for statement in node.body:
            value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
            if not isinstance(value, ast.Call):
                continue
            dotted = dotted_name(value.func)
            qualified = self.classes.resolver.resolve(module.name, dotted) if dotted else None
            if (
                qualified
                and qualified.startswith(DJANGO_FIELD_MODULES)
                and looks_like_field_class(qualified.rsplit(".", 1)[-1])
            ):
                return True
        return False

    def collect(self) -> dict[str, ModelInfo]:
        """Every model of every module, by qualified class name."""
        for module in self.modules.values():
            for node in module.classes():
                qualified = f"{module.name}.{node.name}"
                if node.bases and self.is_model_class(qualified):
                    self.build(qualified)
        return {name: built.info for name, built in self.built.items()}

    # -- one model -----------------------------------------------------------

    def build(self, qualified: str) -> _Built | None:
        """The model at `qualified` (building its model bases first)."""
        if qualified in self.built:
            return self.built[qualified]
        found = self.classes.get(qualified)
        if found is None:
            return None
        module, node = found
        bases = self.classes.bases(qualified)
        parents = [b for b in bases if self.classes.get(b) is not None and self.is_model_class(b)]
        external = tuple(
            b for b in bases if self.classes.get(b) is None and self.external_model_base(b)
        )
        own_meta_node = meta_class(node)
        meta, declared = read_meta(own_meta_node, module.file)
        info = ModelInfo(
            label="",
            app_label="",
            name=node.name,
            module=module.name,
            file=module.rel,
            qualified_name=qualified,
            node=node,
            location=module.file.node_location(node),
            builtin=module.rel.startswith("<django>/"),
            bases=bases,
            model_bases=tuple(parents),
            external_bases=external,
        )
        built = _Built(info)
        self.built[qualified] = built  # early: guards inheritance cycles
        parent_builds = [b for b in (self.build(p) for p in parents) if b is not None]
        external_parents = [p for p in parents if p not in self.built]
        info.external_bases += tuple(external_parents)
        abstract_parents = [b for b in parent_builds if b.info.abstract]
        concrete_parents = [b for b in parent_builds if not b.info.abstract]
        info.external_bases += tuple(e for b in parent_builds for e in b.info.external_bases)
        extends = bool(
            own_meta_node
            and any((dotted_name(b) or "").endswith(".Meta") for b in own_meta_node.bases)
        )
        info.meta = inherit_meta(
            meta,
            declared,
            own_meta_node is not None,
            extends,
            abstract_parents[0].info.meta if abstract_parents else None,
            concrete_parents[0].info.meta if concrete_parents else None,
        )
        info.abstract, info.proxy = info.meta.abstract, info.meta.proxy
        app = self.apps.app_for_module(module.name)
        info.app_label = info.meta.app_label or app.label
        info.label = f"{info.app_label}.{info.name}"
        info.concrete_parents = tuple(b.info.qualified_name for b in concrete_parents)
        concrete = concrete_parents[0].info if concrete_parents else None
        info.concrete_label = (
            concrete.concrete_label if info.proxy and concrete is not None else info.label
        )
        self._fields(
            built, module, node, abstract_parents, concrete_parents, app.default_auto_field
        )
        self._managers(info, module, node, parent_builds)
        for name, ref, is_property in self.classes.functions(qualified):
            (info.properties if is_property else info.methods)[name] = ref
        return built

    def _fields(
        self,
        built: _Built,
        module: ModuleInfo,
        node: ast.ClassDef,
        abstract_parents: list[_Built],
        concrete_parents: list[_Built],
        app_auto_field: str | None,
    ) -> None:
        info = built.info
        if info.proxy and concrete_parents:
            info.fields = dict(concrete_parents[0].info.fields)
            return
        for parent in concrete_parents:
            for name, inherited in parent.info.fields.items():
                info.fields.setdefault(name, inherited)
        declarations: dict[str, Declaration | None] = {}
        for parent in reversed(abstract_parents):
            for declaration in parent.declarations:
                declarations[declaration.name] = declaration
        for statement in node.body:
            assignment = field_assignment(statement)
            if assignment is None:
                continue
            name, value = assignment
            if isinstance(value, ast.Constant) and value.value is None and name in declarations:
                declarations[name] = None  # `field = None` removes an inherited field
                continue
            found = self._declaration(name, value, module)
            if found is not None:
                declarations[name] = found
        built.declarations = [d for d in declarations.values() if d is not None]
        for declaration in built.declarations:
            field_ = field_info(
                declaration, info.label, self._count_choices_for(declaration.module)
            )
            info.fields[declaration.name] = field_
            if field_.relation not in (None, "generic_fk"):
                through = next(
                    (kw.value for kw in declaration.call.keywords if kw.arg == "through"), None
                )
                self.pending.append(
                    PendingTarget(
                        field_,
                        target_expr(declaration.call, declaration.kind.base_type),
                        through,
                        declaration.module,
                        info,
                    )
                )
        if info.abstract:
            return
        self._implicit_fields(info, concrete_parents, app_auto_field)

    def _implicit_fields(
        self,
        info: ModelInfo,
        concrete_parents: list[_Built],
        app_auto_field: str | None,
    ) -> None:
        for index, parent in enumerate(concrete_parents):
            parent_info = parent.info
            if any(f.parent_link and f.model == info.label for f in info.fields.values()):
                continue
            name = f"{parent_info.model_name}_ptr"
            info.fields[name] = FieldInfo(
                name=name,
                field_type="OneToOneField",
                base_type="OneToOneField",
                model=info.label,
                column=f"{name}_id",
                unique=True,
                primary_key=index == 0,
                relation="o2o",
                target=parent_info.label,
                target_raw=parent_info.qualified_name,
                parent_link=True,
                implicit=True,
                location=info.location,
            )
        if concrete_parents or any(f.primary_key for f in info.fields.values()):
            return
        auto = app_auto_field or self.default_auto_field or "django.db.models.AutoField"
        info.fields = {
            "id": FieldInfo(
                name="id",
                field_type=auto.rsplit(".", 1)[-1],
                base_type=auto.rsplit(".", 1)[-1],
                model=info.label,
                column="id",
                unique=True,
                primary_key=True,
                implicit=True,
                location=info.location,
            ),
            **info.fields,
        }

    def _declaration(self, name: str, value: ast.expr, module: ModuleInfo) -> Declaration | None:
        if not isinstance(value, ast.Call):
            return None
        dotted = dotted_name(value.func)
        if dotted is None:
            return None
        qualified = self.classes.resolver.resolve(module.name, dotted) or dotted
        kind = self.field_class(qualified)
        if kind is None:
            return None
        return Declaration(name, value, module.name, module.file, kind)

    def field_class(self, qualified: str) -> FieldClass | None:
        """The field class `qualified` names (None when it is not a model field class)."""
        if qualified in self._field_classes:
            return self._field_classes[qualified]
        self._field_classes[qualified] = None
        class_name = qualified.rsplit(".", 1)[-1]
        result: FieldClass | None = None
        found = self.classes.get(qualified)
        if found is not None:
            forced = forced_options(found[1])
            for base in self.classes.bases(qualified):
                inherited = self.field_class(base)
                if inherited is not None:
                    result = FieldClass(
                        class_name,
                        inherited.relation,
                        inherited.base_type,
                        inherited.forced | forced,
                    )
                    break
            if result is None and self.classes.is_subclass(qualified, FIELD_ROOTS):
                result = FieldClass(class_name, None, "Field")
        elif looks_like_field_class(class_name):
            result = FieldClass(class_name, relation_of(class_name), class_name)
        self._field_classes[qualified] = result
        return result

    def _count_choices_for(self, module: str) -> Callable[[ast.expr], int | None]:
        def count(expr: ast.expr) -> int | None:
            # `Status.choices` on a TextChoices/IntegerChoices class: count its members.
            if not (isinstance(expr, ast.Attribute) and expr.attr == "choices"):
                return None
            owner = dotted_name(expr.value)
            qualified = self.classes.resolver.resolve(module, owner) if owner else None
            node = self._choices_class(module, owner, qualified)
            if node is None:
                return None
            return sum(
                1
                for item in node.body
                if isinstance(item, ast.Assign)
                and isinstance(item.targets[0], ast.Name)
                and item.targets[0].id.isupper()
            )

        return count

    def _choices_class(
        self, module: str, owner: str | None, qualified: str | None
    ) -> ast.ClassDef | None:
        if qualified is not None:
            found = self.classes.get(qualified)
            if found is not None:
                return found[1]
        # A choices class nested in the model (`Status = Post.Status` or just `Status`).
        if owner is None:
            return None
        for built in self.built.values():
            if built.info.module != module or built.info.node is None:
                continue
            for item in built.info.node.body:
                if isinstance(item, ast.ClassDef) and item.name == owner.rsplit(".", 1)[-1]:
                    return item
        return None

    def _managers(
        self, info: ModelInfo, module: ModuleInfo, node: ast.ClassDef, parents: list[_Built]
    ) -> None:
        own: dict[str, ManagerInfo] = {}
        for statement in node.body:
            assignment = field_assignment(statement)
            if assignment is None:
                continue
            manager = self.managers.read(module.name, *assignment)
            if manager is not None:
                own[manager.name] = manager
        inherited = {
            name: manager
            for parent in parents
            for name, manager in parent.info.managers.items()
            if not manager.implicit
        }
        info.managers = {**own, **{k: v for k, v in inherited.items() if k not in own}}
        if not info.managers and "objects" not in info.fields:
            info.managers["objects"] = ManagerInfo(
                name="objects", manager_class=DEFAULT_MANAGER, implicit=True
            )
        if info.meta.default_manager is None and info.managers:
            info.meta.default_manager = next(iter(info.managers))
