"""DJR120: a DRF list view whose serializer reads relations its queryset does not load."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck, at, to_queryset
from djreview.model import Severity
from djreview.nplusone.problem import Problem


class SerializerRelatedAccess(NPlusOneCheck):
    """Serializes a relation per object of a list endpoint without loading it up front.

    ## What it does
    For DRF list endpoints (`ListAPIView`, `ListCreateAPIView`, viewsets with
    `list`; the serializer `get_serializer_class()` returns for the list) and
    serializers built by hand on a queryset (`ItemSerializer(items,
    many=True)`), reads the serializer: nested serializers, `source="fk.attr"`,
    `StringRelatedField`/`SlugRelatedField`, related fields with `many=True`,
    many-to-many names in `Meta.fields`, and `SerializerMethodField` bodies
    (declared fields a narrowed `Meta.fields` leaves out are not read);
    reports each relation the queryset does not
    `select_related`/`prefetch_related`, once per serializer line, naming
    every list that reads it. A method field that filters a related manager
    (`obj.translations.filter(locale=...)`) is reported even when the view
    prefetches the relation: a filter builds a new query, so the prefetch
    is bypassed. A viewset whose own `list()` serializes rows it builds
    (`queryset = ...`, then `self.get_serializer(queryset, many=True)`) is
    read with those rows, not with the view's queryset. When the read is
    inside a model property or method, the finding points at the line there
    that queries.

    ## Why is this bad?
    The serializer runs once per object: each uncovered relation is a query
    per object, and a page of 100 objects with three relations runs 301.

    ## Example
    ```python
    class PostSerializer(serializers.ModelSerializer):
        author_name = serializers.CharField(source="author.username")

    class PostList(generics.ListAPIView):
        serializer_class = PostSerializer
        queryset = Post.objects.all()
    ```

    ## Use instead
    ```python
    class PostList(generics.ListAPIView):
        serializer_class = PostSerializer
        queryset = Post.objects.select_related("author")
    ```

    A method field that filters per object reads rows prefetched for it:

    ```python
    class TermSerializer(serializers.ModelSerializer):
        translation = serializers.SerializerMethodField()

        def get_translation(self, obj):
            found = obj.locale_translations  # not obj.translations.filter(locale=...)
            return found[0].text if found else None

    class TermList(generics.ListAPIView):
        serializer_class = TermSerializer

        def get_queryset(self):
            locale = self.request.query_params.get("locale")
            return Term.objects.prefetch_related(
                Prefetch(
                    "translations",
                    queryset=Translation.objects.filter(locale__code=locale),
                    to_attr="locale_translations",
                )
            )
    ```

    ## References
    - https://www.django-rest-framework.org/api-guide/relations/
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-related
    """

    id = "DJR120"
    name = "serializer-related-access"
    message = "{relation}{trigger} is loaded once per object listed by {owner}; add {cure}{origin}"
    filtered_message = (
        "{relation}{trigger} runs a new query once per object listed by {owner}; add {cure}{origin}"
    )
    bypassed_message = (
        "{relation}{trigger} runs a new query once per object listed by {owner}, "
        "bypassing the queryset's prefetch_related; add {cure}{origin}"
    )
    severity = Severity.WARNING
    fixable = True
    references = ("https://www.django-rest-framework.org/api-guide/relations/",)

    kind = "drf"

    def template(self, problem: Problem) -> str:
        """A filtered manager is a new query per object: only a Prefetch object serves it."""
        if problem.bypassed:
            return self.bypassed_message
        return self.filtered_message if problem.filtered else self.message

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the line that queries, the list view, the cure and its queryset."""
        return {
            **super().fields(problem),
            "trigger": at(problem, "reads "),
            "origin": to_queryset(problem, "").replace(" queryset at ", " querysets at ")
            if ", " in problem.origin
            else to_queryset(problem, ""),
        }
