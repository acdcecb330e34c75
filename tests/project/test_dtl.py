"""The small DTL parser: tokens, variables with filters, block structure, errors."""

from __future__ import annotations

from djreview.project.dtl import Tag, Text, Variable, parse

SOURCE = """{% extends "base.html" %}{% load static i18n %}
{% block content %}
  {% for post in posts reversed %}
    {{ post.title|truncatechars:30|default:"a|b" }}
    {% if post.tags.all %}{% for t in post.tags.all %}{{ t.name }}{% endfor %}
    {% elif post.draft %}draft{% else %}-{% endif %}
  {% empty %}
    {% include "blog/_empty.html" with who=user only %}
  {% endfor %}
  {% comment %}{{ hidden }}{% endcomment %}{% verbatim %}{{ raw }}{% endverbatim %}
  {% cache 500 sidebar %}{{ sidebar.html }}{% endcache %}{% csrf_token %}
{% endblock %}"""


def test_structure_and_line_numbers():
    template = parse(SOURCE)
    assert template.extends == "base.html"
    assert template.libraries == {"static", "i18n"}
    assert template.includes == ["blog/_empty.html"]
    assert list(template.blocks) == ["content"]
    assert template.errors == []
    found = {v.lookup: (v.line, [p.name for p in parents]) for v, parents in template.variables()}
    assert found["post.title"] == (4, ["block", "for"])
    assert found["t.name"] == (5, ["block", "for", "if", "for"])
    assert found["sidebar.html"] == (11, ["block", "cache"])
    assert "hidden" not in found and "raw" not in found


def test_variables_keep_filters_and_arguments():
    [variable] = [
        node for node in parse('{{ a.b|date:"Y|m"|lower }}').nodes if isinstance(node, Variable)
    ]
    assert variable.parts == ["a", "b"]
    assert variable.filters == [("date", '"Y|m"'), ("lower", None)]
    assert variable.column == 1


def test_for_empty_and_if_branches():
    template = parse(SOURCE)
    loop = next(template.tags("for"))
    assert loop.args == ["post", "in", "posts", "reversed"]
    assert "empty" in loop.branches
    condition = next(template.tags("if"))
    assert set(condition.branches) == {"elif", "else"}
    assert isinstance(condition.branches["elif"][0], Tag)


def test_unbalanced_tags_are_reported_not_raised():
    template = parse("{% for x in y %}{{ x }}{% endif %}{% endblock %}")
    assert template.errors
    assert isinstance(parse("plain text").nodes[0], Text)
