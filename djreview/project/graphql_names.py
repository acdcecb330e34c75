"""Qualified names of the graphene, graphene-django, optimizer and strawberry APIs read."""

from __future__ import annotations

GRAPHENE_OBJECT_ROOTS = frozenset(
    {
        "graphene.ObjectType",
        "graphene.types.ObjectType",
        "graphene.types.objecttype.ObjectType",
        "graphene_django.DjangoObjectType",
        "graphene_django.types.DjangoObjectType",
        "graphene_django_optimizer.OptimizedDjangoObjectType",
        "graphene_django_optimizer.types.OptimizedDjangoObjectType",
    }
)
RELAY_CONNECTIONS = frozenset(
    {"graphene.relay.Connection", "graphene.Connection", "graphene.relay.connection.Connection"}
)
LIST_FIELDS = frozenset(
    {
        "graphene.List",
        "graphene.types.List",
        "graphene.types.structures.List",
        "graphene_django.DjangoListField",
        "graphene_django.fields.DjangoListField",
    }
)
# Fields whose default resolver lists the type's model (`Model._default_manager`).
DEFAULT_LIST_FIELDS = frozenset(
    {
        "graphene_django.DjangoListField",
        "graphene_django.fields.DjangoListField",
        "graphene_django.DjangoConnectionField",
        "graphene_django.fields.DjangoConnectionField",
        "graphene_django.filter.DjangoFilterConnectionField",
        "graphene_django.filter.fields.DjangoFilterConnectionField",
    }
)
CONNECTION_FIELDS = DEFAULT_LIST_FIELDS - LIST_FIELDS | frozenset(
    {
        "graphene.relay.ConnectionField",
        "graphene.ConnectionField",
        "graphene.relay.connection.ConnectionField",
    }
)
NON_NULL = frozenset({"graphene.NonNull", "graphene.types.NonNull"})
OPTIMIZER_QUERY = frozenset({"graphene_django_optimizer.query"})
OPTIMIZER_FIELD = frozenset({"graphene_django_optimizer.field"})
OPTIMIZER_HINTS = frozenset(
    {
        "graphene_django_optimizer.resolver_hints",
        "graphene_django_optimizer.resolver.resolver_hints",
    }
)
HINT_KEYWORDS = ("select_related", "prefetch_related", "model_field", "only")
STRAWBERRY_TYPE_DECORATORS = {
    "strawberry.type": "plain",
    "strawberry.django.type": "model",
    "strawberry_django.type": "model",
    "strawberry_django.type.type": "model",
}
STRAWBERRY_FIELDS = frozenset(
    {
        "strawberry.field",
        "strawberry.django.field",
        "strawberry_django.field",
        "strawberry_django.fields.field.field",
        "strawberry_django.connection",
        "strawberry_django.offset_paginated",
    }
)
STRAWBERRY_CONNECTIONS = frozenset({"strawberry_django.connection"})
STRAWBERRY_AUTO = frozenset({"strawberry.auto", "strawberry_django.auto"})
SCHEMA_CALLS = frozenset(
    {"strawberry.Schema", "strawberry.schema.Schema", "strawberry.federation.Schema"}
)
OPTIMIZER_EXTENSIONS = frozenset(
    {
        "strawberry_django.optimizer.DjangoOptimizerExtension",
        "strawberry_django.extensions.optimizer.DjangoOptimizerExtension",
    }
)
LIST_ANNOTATIONS = frozenset({"list", "List", "typing.List", "Sequence", "typing.Sequence"})


def external_object_type(qualified: str) -> bool:
    """Whether a class outside the project is one of graphene's object type bases."""
    return qualified in GRAPHENE_OBJECT_ROOTS
