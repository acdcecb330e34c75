"""Resolving relation targets and building reverse accessors, once all models are known."""

from __future__ import annotations

import ast
from collections import defaultdict

from djreview.project.classes import ClassTable
from djreview.project.django_models import PendingTarget
from djreview.project.literals import literal_str
from djreview.project.model_getters import label_of_getter_call
from djreview.project.model_types import FieldInfo, ModelInfo, ReverseRelation
from djreview.project.modules import dotted_name

USER_MODEL_REF = "AUTH_USER_MODEL"
USER_MODEL_GETTERS = frozenset(
    {
        "django.contrib.auth.get_user_model",
        "django.contrib.auth.models.get_user_model",
    }
)
# Module-level aliases followed from a relation's target (`User = get_user_model()`
# imported from a shortcuts module, itself re-bound once more at most in practice).
_MAX_ALIASES = 4


class ModelLookup:
    """Models by label (case-insensitive model name, as `apps.get_model`) and by class."""

    def __init__(self, models: dict[str, ModelInfo], by_class: dict[str, ModelInfo]) -> None:
        self.models = models
        self.by_class = by_class
        self._lower = {label.lower(): info for label, info in reversed(list(models.items()))}
        self._by_name: dict[str, list[ModelInfo]] = defaultdict(list)
        for info in models.values():
            self._by_name[info.name.lower()].append(info)

    def label(self, label: str) -> ModelInfo | None:
        """`app_label.ModelName`, model name in any case."""
        return self.models.get(label) or self._lower.get(label.lower())

    def name(self, name: str, from_app: str | None) -> ModelInfo | None:
        """A bare model name: within `from_app` if given, else only when unique."""
        if from_app is not None:
            return self.label(f"{from_app}.{name}")
        candidates = [
            m for m in self._by_name.get(name.lower(), []) if not m.abstract
        ] or self._by_name.get(name.lower(), [])
        project = [m for m in candidates if not m.builtin]
        if len(project) == 1:
            return project[0]
        return candidates[0] if len(candidates) == 1 else None


def resolve_reference(
    expr: ast.expr | None,
    module: str,
    owner: ModelInfo,
    lookup: ModelLookup,
    classes: ClassTable,
    user_model: str | None,
    aliases: int = 0,
) -> str | None:
    """The label a relation's target argument names, seen from `owner` (None if unknown).

    A name bound at module level to another target (`User = get_user_model()`,
    `Owner = Profile`), here or in the module it is imported from, means that target.
    """
    if expr is None:
        return None
    resolver = classes.resolver
    if isinstance(expr, ast.Call):
        callee = dotted_name(expr.func)
        getter = resolver.resolve(module, callee) if callee and not expr.args else None
        if getter in USER_MODEL_GETTERS:
            return user_model
        # swapper's get_model_name("app", "Model"), apps.get_model(...), load_model(...)
        named = label_of_getter_call(expr, lambda name: resolver.resolve(module, name))
        found = lookup.label(named) if named is not None else None
        return found.label if found is not None else None
    text = literal_str(expr)
    if text is not None:
        if text == "self":
            return owner.label
        found = lookup.label(text if "." in text else f"{owner.app_label}.{text}")
        return found.label if found is not None else None
    dotted = dotted_name(expr)
    if dotted is None:
        return None
    if dotted.endswith(USER_MODEL_REF):
        setting = resolver.resolve(module, dotted) or ""
        if setting.startswith(("django.conf.settings", "settings")) or dotted.startswith(
            "settings."
        ):
            return user_model
    qualified = resolver.resolve(module, dotted)
    if qualified is None:
        return None
    found = lookup.by_class.get(qualified) or lookup.by_class.get(resolver.canonical(qualified))
    if found is not None:
        return found.label
    assigned = classes.assignment(resolver.canonical(qualified))
    if assigned is None or aliases >= _MAX_ALIASES:
        return None
    alias_module, value = assigned
    return resolve_reference(
        value, alias_module.name, owner, lookup, classes, user_model, aliases + 1
    )


def resolve_targets(
    pending: list[PendingTarget],
    lookup: ModelLookup,
    classes: ClassTable,
    user_model: str | None,
) -> None:
    """Fill `target` (and `through`) of every relation field collected by the models pass."""
    for item in pending:
        item.field.target = resolve_reference(
            item.expr, item.module, item.model, lookup, classes, user_model
        )
        if item.through is not None:
            through = resolve_reference(
                item.through, item.module, item.model, lookup, classes, user_model
            )
            item.field.through = through or item.field.through
    # Second pass: a through model's own `tag` foreign key is resolved by now.
    for item in pending:
        if item.field.target is None and item.field.base_type == "TaggableManager":
            item.field.target = _tag_model(item.field.through, lookup)


def _tag_model(through: str | None, lookup: ModelLookup) -> str | None:
    """A TaggableManager's tag model: what its through model's `tag` foreign key points at."""
    model = lookup.label(through) if through else None
    tag = model.fields.get("tag") if model is not None else None
    return tag.target if tag is not None else None


def _expand(template: str | None, model: ModelInfo) -> str | None:
    if template is None:
        return None
    try:
        return template % {
            "class": model.name.lower(),
            "model_name": model.model_name,
            "app_label": model.app_label.lower(),
        }
    except (KeyError, ValueError, TypeError):
        return template


def reverse_of(field: FieldInfo, model: ModelInfo) -> ReverseRelation | None:
    """The reverse accessor `field` (declared on `model`) adds to its target; None if hidden."""
    if field.relation == "generic_relation":
        name = _expand(field.related_query_name, model)
        if not name:
            return None
        return ReverseRelation(
            accessor=name,
            query_name=name,
            model=model.label,
            field=field.name,
            multiple=True,
            generic=True,
        )
    if field.base_type == "TaggableManager" and field.related_name is None:
        return None  # taggit's default reverse accessor is its own business: left unknown
    related_name = _expand(field.related_name or model.meta.default_related_name, model)
    if related_name is not None and related_name.endswith("+"):
        return None
    if field.relation == "m2m" and field.target == model.label and field.symmetrical is not False:
        return None
    multiple = field.relation != "o2o"
    accessor = related_name or model.model_name + ("_set" if multiple else "")
    query_name = _expand(field.related_query_name, model) or related_name or model.model_name
    return ReverseRelation(
        accessor=accessor,
        query_name=query_name,
        model=model.label,
        field=field.name,
        multiple=multiple,
        via_m2m=field.relation == "m2m",
        parent_link=field.parent_link,
    )


def build_reverse(models: dict[str, ModelInfo], lookup: ModelLookup, swapped: set[str]) -> None:
    """Attach reverse relations to every model, as Django's `_meta.get_fields()` lists them.

    Relations to a proxy count for its concrete model; proxies and multi-table
    children see the reverse relations of the models they inherit from.
    """
    by_concrete: dict[str, dict[str, ReverseRelation]] = defaultdict(dict)
    for model in models.values():
        if model.abstract or model.label in swapped:
            continue
        for field in model.fields.values():
            if (
                field.model != model.label
                or field.target is None
                or field.relation in (None, "generic_fk")
            ):
                continue
            target = lookup.label(field.target)
            if target is None:
                continue
            relation = reverse_of(field, model)
            if relation is not None:
                by_concrete[target.concrete_label].setdefault(relation.accessor, relation)
    by_class = {model.qualified_name: model for model in models.values()}

    def gather(model: ModelInfo, depth: int) -> dict[str, ReverseRelation]:
        found = dict(by_concrete.get(model.concrete_label, {}))
        if depth > 20:
            return found
        for parent_name in model.concrete_parents:
            parent = by_class.get(parent_name)
            if parent is None:
                continue
            for accessor, relation in gather(parent, depth + 1).items():
                # Django hides a parent's parent-link reverses from its children.
                if not relation.parent_link:
                    found.setdefault(accessor, relation)
        return found

    for model in models.values():
        if not model.abstract:
            model.reverse = gather(model, 0)
