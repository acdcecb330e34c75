"""DJR110: a template's {% for %} over a view's queryset reads a relation per row."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck, at, to_queryset
from djreview.model import Severity
from djreview.nplusone.problem import Problem


class TemplateRelatedAccessInLoop(NPlusOneCheck):
    """Reads a relation once per row inside a template loop.

    ## What it does
    Connects views to their templates (ListView's `object_list` /
    `<model>_list` and default template name, `render()` context dicts) and
    finds `{% for %}` loops over the view's queryset whose body reads a
    relation the queryset does not load: `{{ post.author.name }}`,
    `{% for tag in post.tags.all %}`, `{{ post.comments.count }}`, or
    `{{ post }}` whose `__str__` reads one, also through `{% include %}`
    (with or without `with`) and inside `{% extends %}` blocks.

    ## Why is this bad?
    Templates hide queries: every relation read in the loop is one query per
    row, so a list page's query count grows with the page size.

    ## Example
    ```python
    class PostListView(ListView):
        model = Post
    # blog/post_list.html: {% for post in post_list %}{{ post.author.username }}{% endfor %}
    ```

    ## Use instead
    ```python
    class PostListView(ListView):
        queryset = Post.objects.select_related("author")
    ```

    ## References
    - https://docs.djangoproject.com/en/5.2/topics/db/optimization/
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#select-related
    """

    id = "DJR110"
    name = "template-related-access-in-loop"
    message = "{relation}{trigger} is loaded once per row of the template loop; add {cure}{origin}"
    bypassed_message = (
        "{relation}{trigger} runs a new query once per row of the template loop; add {cure}{origin}"
    )
    severity = Severity.WARNING
    fixable = True
    references = ("https://docs.djangoproject.com/en/5.2/topics/db/optimization/",)

    kind = "template"

    def template(self, problem: Problem) -> str:
        """A prefetched relation the template re-queries reads differently."""
        return self.bypassed_message if problem.bypassed else self.message

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the line that queries, the cure and the view's queryset."""
        return {
            **super().fields(problem),
            "trigger": at(problem),
            "origin": to_queryset(problem, ""),
        }
