"""DJR150: a GraphQL resolver that queries once per object of a list or connection field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from djreview.checks.performance._nplusone import NPlusOneCheck, to_queryset
from djreview.model import Finding, RelatedLocation, Severity
from djreview.nplusone.analysis import NPlusOne
from djreview.nplusone.one_read import joined_fix
from djreview.nplusone.problem import Problem

if TYPE_CHECKING:
    from djreview.source.project import Project

# How many other lists the message names before counting the rest.
NAMED_LISTS = 3


class GraphqlResolverRelatedAccess(NPlusOneCheck):
    """Resolves a relation per object of a GraphQL list without loading it up front.

    ## What it does
    For graphene-django and strawberry-django schemas, finds the list and
    connection fields (`graphene.List`, `DjangoListField`,
    `DjangoConnectionField`, relay connections, strawberry `list[T]` fields)
    and reads the resolvers of the type they list: `resolve_<field>` methods,
    `resolver=` functions, `@strawberry_django.field` methods, and the default
    resolvers of relations exposed through `Meta.fields` or annotations. It
    reports each relation the list resolver's queryset does not
    `select_related`/`prefetch_related`, and each query keyed by the parent
    object (`Model.objects.filter(x=root)`). A type is only checked where a
    list field lists it; the message names that field. Types named by
    import path (`graphene.List("app.schema.BoardType")`) are resolved.

    Lists of listed types are followed too: `Workspace.boards` returning
    `root.boards.all()` lists boards per workspace, so a board resolver
    that reads `root.sections` runs once per board; the cure is
    `prefetch_related("boards__sections")` on the list above that has a
    queryset (fixed there when it is known). Rows a DataLoader's
    `load(...)` returns are read the same way (its batch query prefetches
    nothing djreview can see). A field with optimizer hints
    (`@strawberry_django.field(prefetch_related=[...])`,
    `@gql_optimizer.resolver_hints`) is read as if the hinted paths were
    loaded with the rows; a read outside them, or a hinted relation queried
    anew (`root.reviews.order_by(...)`, which ignores the prefetch), is
    reported once, whatever lists the type.

    One resolver read is one finding, however many lists show its type: the
    message names the first list and the others, every list field and
    queryset is a related location, and the fix edits every list's queryset
    (lists whose rows djreview cannot edit, such as a `DjangoListField`'s,
    make a finding of their own without a fix).

    Deliberately not reported: resolvers that go through a DataLoader
    (`info.context.loaders.x.load(root.pk)`), plain relation fields under
    `graphene_django_optimizer.query()` or strawberry's
    `DjangoOptimizerExtension`, and lists whose rows come from code
    djreview cannot read (a helper it cannot follow): a guess there would
    be wrong as often as right. A hinted field is trusted to have its hints
    applied, so a schema without the optimizer extension that relies on
    hints alone is under-reported.

    ## Why is this bad?
    GraphQL runs a field's resolver once per object: a list of 100 books
    asking for `author { name }` runs 101 queries.

    ## Example
    ```python
    # graphene-django
    class BookType(DjangoObjectType):
        class Meta:
            model = Book
            fields = ("id", "title", "author")

        review_count = graphene.Int()

        def resolve_review_count(root, info):
            return root.reviews.count()

    class Query(graphene.ObjectType):
        books = graphene.List(BookType)

        def resolve_books(root, info):
            return Book.objects.all()

    # strawberry-django
    @strawberry_django.type(Book)
    class BookNode:
        title: auto
        author: AuthorNode

    @strawberry.type
    class Query:
        @strawberry_django.field
        def books(self) -> list[BookNode]:
            return Book.objects.all()
    ```

    ## Use instead
    ```python
    # graphene-django: load the relations with the list
    def resolve_books(root, info):
        return Book.objects.select_related("author").prefetch_related("reviews")

    # or batch per-object queries with a DataLoader kept on the request
    def resolve_review_count(root, info):
        return info.context.loaders.review_counts.load(root.pk)

    # strawberry-django: the same, or let the optimizer do it
    schema = strawberry.Schema(query=Query, extensions=[DjangoOptimizerExtension])
    ```

    ## References
    - https://docs.graphene-python.org/en/latest/execution/dataloader/
    - https://docs.graphene-python.org/projects/django/en/latest/queries/
    - https://strawberry.rocks/docs/django/guide/optimizer
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-related
    """

    id = "DJR150"
    name = "graphql-resolver-related-access"
    message = (
        "{relation} is loaded once per {owner}; add {cure}{origin}, "
        "or load it with a DataLoader{optimizer}"
    )
    severity = Severity.WARNING
    fixable = True
    references = (
        "https://docs.graphene-python.org/en/latest/execution/dataloader/",
        "https://strawberry.rocks/docs/django/guide/optimizer",
    )

    kind = "graphql"

    def template(self, problem: Problem) -> str:
        """A query keyed by the root object has one cure: a DataLoader."""
        if problem.filtered:
            return "{relation} queries once per {owner}; batch it with {cure}"
        return self.message

    def check_project(self, project: Project) -> Iterable[Finding]:
        """One finding per resolver read, naming every list that shows the type.

        The analysis has a problem per (list, read): the same line read for
        each list. They are one defect; the finding leads with the first list,
        names the others, relates every list field and queryset, and carries
        one fix with each list's edits. Lists without a fix (rows from a
        type's hook, a DataLoader, code djreview cannot edit) make their own
        finding, since the fix would leave them as they are.
        """
        groups: dict[tuple[object, str, bool], list[Problem]] = {}
        for problem in project.analysis(NPlusOne).problems:
            if problem.kind == self.kind:
                # Lists djreview can fix and lists it cannot are two findings: a fix must
                # cure its whole finding (a DjangoListField's rows need the type's hook).
                key = (problem.location, problem.relation, problem.fix is None)
                groups.setdefault(key, []).append(problem)
        return [self._one(group) for group in groups.values()]

    def _one(self, group: list[Problem]) -> Finding:
        first = group[0]
        others = [p.owner.split(" listed by ", 1)[-1] for p in group[1:]]
        owner = first.owner
        if others:
            named = ", ".join(others[:NAMED_LISTS])
            rest = len(others) - NAMED_LISTS
            named += f" and {rest} more" if rest > 0 else ""
            owner += f" (and by {named})"
        related: list[RelatedLocation] = []
        for problem in group:
            related.extend(r for r in problem.related if r not in related)
        return self.finding(
            first.location,
            self.template(first).format(**self.fields(replace(first, owner=owner))),
            related=related,
            fix=joined_fix([p.fix for p in group]),
        )

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the type and list field, the cure, its queryset, and the optimizer."""
        return {
            **super().fields(problem),
            "origin": f" to {problem.lister}"
            if problem.lister
            else to_queryset(problem, " to the type's get_queryset()"),
            "optimizer": ", or install DjangoOptimizerExtension in the schema"
            if problem.library == "strawberry"
            else "",
        }
