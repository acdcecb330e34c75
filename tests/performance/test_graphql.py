"""DJR150 (GraphQL resolvers): qualified names, optimizers, hooks, the fixture's twins, the gate."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import copy_sample, run_tree
from runtime import harness
from runtime.planted import markers

from djreview.engine.registry import rules_dir
from djreview.project import graphql

SAMPLE = rules_dir() / "performance" / "graphql-resolver-related-access"
MODELS = (SAMPLE / "app" / "models.py").read_text()


def _tree(tmp_path: Path, **files: str) -> Path:
    tree = copy_sample(SAMPLE, tmp_path / "project")
    for name in ("schema.py", "strawberry_schema.py"):
        (tree / "app" / name).unlink()
    for name, text in files.items():
        (tree / "app" / f"{name}.py").write_text(text)
    return tree


def _findings(tree: Path):
    return [f for f in run_tree(tree, select=("DJR150",)).findings if f.rule_id == "DJR150"]


GRAPHENE = """
import graphene as gql
from graphene_django import DjangoObjectType as Base

from .models import Author, Book


class AuthorType(Base):
    class Meta:
        model = Author
        fields = ("id", "name")


class BookType(Base):
    class Meta:
        model = Book
        fields = ("id", "title")

    author_name = gql.String()

    def resolve_author_name(root, info):
        return root.author.name
{extra}

class Query(gql.ObjectType):
    books = {field}

    def resolve_books(root, info):
        return {queryset}
"""


def _graphene(field="gql.List(BookType)", queryset="Book.objects.all()", extra=""):
    return GRAPHENE.format(field=field, queryset=queryset, extra=extra)


def test_related_locations_are_the_resolver_the_list_field_and_the_queryset(tmp_path):
    findings = _findings(copy_sample(SAMPLE, tmp_path / "project"))
    finding = next(f for f in findings if f.message.startswith("root.author is loaded"))
    assert "listed by Query.books" in finding.message
    related = {r.message: r.location.start_line for r in finding.related}
    assert related == {
        "the resolver of root.author": 42,
        "the list field Query.books": 71,
        "the list queryset": 79,
    }
    assert finding.fix is not None and finding.fix.applicability == "safe"
    # The queryset line is long: the fix wraps it in parentheses, one call per line.
    assert {edit.location.start_line for edit in finding.fix.edits} == {79}
    assert 'select_related("author")' in "".join(e.replacement for e in finding.fix.edits)


def test_aliased_imports_are_followed(tmp_path):
    (finding,) = _findings(_tree(tmp_path, schema=_graphene()))
    assert finding.message.startswith("root.author is loaded once per BookType listed by")


def test_a_look_alike_list_is_not_a_graphql_list(tmp_path):
    text = _graphene(field="List(BookType)").replace(
        "import graphene as gql", "import graphene as gql\nfrom mylib import List"
    )
    assert _findings(_tree(tmp_path, schema=text)) == []


def test_a_type_no_list_field_lists_is_not_reported(tmp_path):
    assert _findings(_tree(tmp_path, schema=_graphene(field="gql.Field(BookType)"))) == []


def test_the_list_queryset_covering_the_relation_is_silent(tmp_path):
    text = _graphene(queryset='Book.objects.select_related("author")')
    assert _findings(_tree(tmp_path, schema=text)) == []


def test_the_types_get_queryset_hook_covers_its_relations(tmp_path):
    hook = """
    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.select_related("author")
"""
    text = _graphene(extra=hook).replace(
        "        return root.author.name\n", "        return root.author.name\n" + hook, 1
    )
    assert _findings(_tree(tmp_path, schema=text)) == []


def test_graphene_django_optimizer_query_covers_default_relations(tmp_path):
    text = (
        _graphene(queryset="gql_optimizer.query(Book.objects.all(), info)")
        .replace(
            "import graphene as gql",
            "import graphene as gql\nimport graphene_django_optimizer as gql_optimizer",
        )
        .replace('fields = ("id", "title")', 'fields = ("id", "title", "author")')
    )
    text = text.replace("    author_name = gql.String()\n", "").replace(
        "    def resolve_author_name(root, info):\n        return root.author.name\n", ""
    )
    assert _findings(_tree(tmp_path, schema=text)) == []
    plain = text.replace("gql_optimizer.query(Book.objects.all(), info)", "Book.objects.all()")
    (finding,) = _findings(_tree(tmp_path / "plain", schema=plain))
    assert "BookType.author (the default resolver reads author)" in finding.message


STRAWBERRY = """
import strawberry
import strawberry_django
from strawberry import auto
from strawberry_django.optimizer import DjangoOptimizerExtension

from .models import Author, Book


@strawberry_django.type(Author)
class AuthorNode:
    name: auto


@strawberry_django.type(Book)
class BookNode:
    title: auto
    author: AuthorNode

    @strawberry_django.field
    def other_titles(self) -> list[str]:
        return [b.title for b in Book.objects.filter(author=self.author_id)]


@strawberry.type
class Query:
    books: list[BookNode] = strawberry_django.field()


schema = strawberry.Schema(query=Query{extensions})
"""


def test_strawberry_optimizer_covers_relations_not_resolvers_that_query(tmp_path):
    plain = _findings(_tree(tmp_path, schema=STRAWBERRY.format(extensions="")))
    assert sorted(f.message.split(" ", 1)[0] for f in plain) == [
        "Book.objects.filter(author=self.author_id)",
        "BookNode.author",
    ]
    optimized = _findings(
        _tree(
            tmp_path / "optimized",
            schema=STRAWBERRY.format(extensions=", extensions=[DjangoOptimizerExtension()]"),
        )
    )
    assert [f.message.split(" ", 1)[0] for f in optimized] == [
        "Book.objects.filter(author=self.author_id)"
    ]
    assert "DataLoader keyed by self.pk" in optimized[0].message


def test_a_plain_strawberry_attribute_or_an_unread_resolver_has_unknown_rows(tmp_path):
    for index, value in enumerate(("", " = strawberry.field(resolver=lambda: Book.objects.all())")):
        text = STRAWBERRY.format(extensions="").replace(
            "books: list[BookNode] = strawberry_django.field()", f"books: list[BookNode]{value}"
        )
        found = _findings(_tree(tmp_path / str(index), schema=text))
        # The type is still listed, so its query keyed by the root stays; the rows are unknown.
        assert [f.message.split(" ", 1)[0] for f in found] == [
            "Book.objects.filter(author=self.author_id)"
        ]


def test_a_project_without_graphql_does_not_run_the_collector(tmp_path, monkeypatch):
    calls = []
    original = graphql.GraphQLCollector._type

    def counting(self, module, node):
        calls.append(node.name)
        return original(self, module, node)

    monkeypatch.setattr(graphql.GraphQLCollector, "_type", counting)
    tree = copy_sample(rules_dir() / "performance" / "related-access-in-loop", tmp_path / "plain")
    assert run_tree(tree, select=("DJR150",)).findings == []
    assert calls == []
    assert _findings(copy_sample(SAMPLE, tmp_path / "graphql"))
    assert calls


def test_fixture_twins_are_listed_by_no_finding_and_every_planted_field_is(tmp_path):
    fixture = harness.FIXTURES_DIR / "graphql"
    tree = tmp_path / "graphql"
    shutil.copytree(fixture, tree)
    findings = _findings(tree)
    listed = {
        (r.location.path.split("graphql/")[-1], r.location.start_line)
        for f in findings
        for r in f.related
        if r.message.startswith("the list field")
    }
    found = [m for m in markers(fixture) if m.kind == "n+1-graphql"]
    # A decorated strawberry field starts at its `def`, the line after the marked decorator.
    planted = [m for m in found if m.role == "planted"]
    twins = [m for m in found if m.role == "twin"]
    assert len(planted) >= 8 and len(twins) >= 8
    for marker in planted:
        assert {(marker.path, marker.line), (marker.path, marker.line + 1)} & listed, marker
    for marker in twins:
        assert not {(marker.path, marker.line), (marker.path, marker.line + 1)} & listed, marker


def test_sarif_relates_the_resolver_the_list_field_and_the_queryset(tmp_path):
    tree = copy_sample(SAMPLE, tmp_path / "project")
    completed = subprocess.run(
        [sys.executable, "-m", "djreview", "check", str(tree), "--format", "sarif"],
        capture_output=True,
        text=True,
        check=False,
    )
    results = json.loads(completed.stdout)["runs"][0]["results"]
    result = next(
        r
        for r in results
        if r["ruleId"] == "DJR150" and r["message"]["text"].startswith("root.author is loaded")
    )
    related = {
        loc["message"]["text"]: loc["physicalLocation"]["region"]["startLine"]
        for loc in result["relatedLocations"]
    }
    assert related == {
        "the resolver of root.author": 42,
        "the list field Query.books": 71,
        "the list queryset": 79,
    }
    assert result["fixes"]


def test_the_roots_annotation_must_name_the_listed_model(tmp_path):
    def annotated(annotation: str) -> str:
        return _graphene().replace(
            "def resolve_author_name(root, info):",
            f"def resolve_author_name(root: {annotation}, info):",
        )

    (finding,) = _findings(_tree(tmp_path / "book", schema=annotated("Book")))
    assert finding.message.startswith("root.author is loaded")
    # Another model, or a wrapper whose model sits at root.node: not the listed row.
    assert _findings(_tree(tmp_path / "author", schema=annotated("Author"))) == []
    assert _findings(_tree(tmp_path / "wrapped", schema=annotated("Context[Book]"))) == []


MANAGED_MODELS = MODELS.replace(
    "class Book(models.Model):",
    """class BookManager(models.Manager):
    def by_author(self, author):
        return author.books.filter(title__gt="")

    def joined_by_author(self, author):
        return author.books.select_related("author")


class Book(models.Model):
    objects = BookManager()
""",
)


def test_a_manager_method_returning_plain_related_rows_lists_the_models_rows(tmp_path):
    schema = _graphene(queryset="Book.objects.by_author(info.context.user)")
    (finding,) = _findings(_tree(tmp_path / "plain", models=MANAGED_MODELS, schema=schema))
    assert finding.message.startswith("root.author is loaded once per BookType listed by")
    joined = _graphene(queryset="Book.objects.joined_by_author(info.context.user)")
    # A method that joins: the rows are not plain, djreview does not guess what it loads.
    assert _findings(_tree(tmp_path / "joined", models=MANAGED_MODELS, schema=joined)) == []


def test_a_python_loop_over_a_plain_manager_method_reads_its_rows(tmp_path):
    views = (
        "from .models import Book\n\n\n"
        "def names(author):\n"
        "    for book in Book.objects.by_author(author):\n"
        "        print(book.author.name)\n"
    )
    tree = _tree(tmp_path, models=MANAGED_MODELS, views=views)
    found = [f for f in run_tree(tree, select=("DJR101",)).findings if f.rule_id == "DJR101"]
    assert [f.location.start_line for f in found] == [6]


NESTED = """
import graphene
from graphene_django import DjangoObjectType

from .models import Author, Book


class BookType(DjangoObjectType):
    class Meta:
        model = Book
        fields = ("id", "title")

    review_count = graphene.Int()

    def resolve_review_count(root, info):
        return root.reviews.count()


class AuthorType(DjangoObjectType):
    class Meta:
        model = Author
        fields = ("id", "name")

    books = graphene.List("app.schema.BookType")

    def resolve_books(root, info):
        return {books}


class Query(graphene.ObjectType):
    authors = graphene.List(AuthorType)

    def resolve_authors(root, info):
        return {authors}
"""


def _nested(books="root.books.all()", authors="Author.objects.all()"):
    return NESTED.format(books=books, authors=authors)


def test_a_list_of_a_listed_type_is_cured_on_the_list_above(tmp_path):
    findings = _findings(_tree(tmp_path, schema=_nested()))
    by_text = {f.message.split(" is loaded")[0]: f for f in findings}
    assert set(by_text) == {"root.books.all()", "root.reviews.count()"}
    nested = by_text["root.reviews.count()"]
    assert "listed by AuthorType.books" in nested.message
    assert 'prefetch_related("books__reviews") to the queryset at schema.py:' in nested.message
    assert nested.fix is not None
    edits = "".join(e.replacement for e in nested.fix.edits)
    assert '"books__reviews"' in edits


def test_the_list_above_prefetching_the_nested_path_covers_it(tmp_path):
    schema = _nested(authors='Author.objects.prefetch_related("books__reviews")')
    assert _findings(_tree(tmp_path, schema=schema)) == []


def test_rows_of_an_unread_nested_resolver_are_unknown_but_a_dataloaders_are_read(tmp_path):
    helper = _nested(books="books_of(root)")
    assert [
        f.message.split(" is")[0] for f in _findings(_tree(tmp_path / "h", schema=helper))
    ] == []
    loader = _nested(books="info.context.loaders.books.load(root.pk)")
    (finding,) = _findings(_tree(tmp_path / "l", schema=loader))
    assert "listed by AuthorType.books" in finding.message
    assert "the DataLoader's batch query" in finding.message
    assert finding.fix is None


def test_a_resolver_written_around_a_dataloader_keeps_its_fallback_reads(tmp_path):
    fallback = """
    def resolve_author_name(root, info):
        if root.title == "":
            return root.author.name
        return info.context.loaders.author_names.load(root.author_id).then(str)
"""
    schema = _graphene().replace(
        """
    def resolve_author_name(root, info):
        return root.author.name
""",
        fallback,
    )
    assert "loaders.author_names" in schema
    assert _findings(_tree(tmp_path, schema=schema)) == []


def test_one_finding_per_read_names_every_list_and_fixes_them_all(tmp_path):
    schema = _graphene(
        extra="",
        field="gql.List(BookType)\n    recent = gql.List(BookType)\n"
        "    every = DjangoListField(BookType)",
    ).replace(
        "from graphene_django import DjangoObjectType as Base",
        "from graphene_django import DjangoListField, DjangoObjectType as Base",
    ) + (
        '\n    def resolve_recent(root, info):\n        return Book.objects.filter(title__gt="")\n'
    )
    findings = _findings(_tree(tmp_path, schema=schema))
    fixed = [f for f in findings if f.fix is not None]
    unfixed = [f for f in findings if f.fix is None]
    assert len(fixed) == 1 and len(unfixed) == 1
    (finding,) = fixed
    assert "listed by Query.books (and by Query.recent)" in finding.message
    assert finding.fix is not None and len(finding.fix.edits) == 2
    # One fix, one queryset edit per list, each named (shared with the DRF merge).
    assert {e.location.start_line for e in finding.fix.edits} == {31, 34}
    assert finding.fix.description.count("select_related") == 2
    lists = {r.message for r in finding.related if r.message.startswith("the list field")}
    assert lists == {"the list field Query.books", "the list field Query.recent"}
    # The DjangoListField's rows come from the type's hook: its own finding, no fix.
    assert "listed by Query.every" in unfixed[0].message
