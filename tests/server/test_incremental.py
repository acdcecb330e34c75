"""A session's results after each kind of edit equal a full `run()` of the edited tree.

One session takes a sequence of edits (its per-file facts kept from run to
run, as in the server): an unrelated module, a model (the schema changes), a
view, a template, a helper another module's loop calls, and back. After each,
every finding (rule, place, message, fingerprint, related locations, fix) must
equal a full run of the same tree written to disk, made in a fresh interpreter
so that no cache of the session's process answers for it.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from djreview.config import resolve_config
from djreview.engine.runner import run
from djreview.server.session import Session
from tests.server.test_session import _key, session_findings

FIXTURE = Path(__file__).parents[2] / "fixtures" / "blog"
HELPER = "blog/recent.py"
LOOP = "blog/board.py"
# A helper whose queryset another module loops over: the loop's facts read the helper.
HELPER_TEXT = """from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Comment


def recent_comments():
    return Comment.objects.all()


def shout(value):
    return mark_safe(value)
"""
LOOP_TEXT = """from django.http import HttpResponse, JsonResponse

from .recent import recent_comments, shout


def greet(request):
    return HttpResponse(shout(request.GET.get("name")))


def board(request):
    names = [comment.author.username for comment in recent_comments()]
    return JsonResponse({"names": names})
"""


def in_process_run(root: Path) -> list[tuple[object, ...]]:
    return sorted(_key(f) for f in run([root], resolve_config(None, root)).findings)


def full_run(root: Path) -> list[tuple[object, ...]]:
    """A full run in a fresh interpreter: no memo of this process (the session's, an
    `lru_cache` of fix texts) can give both sides the same stale answer."""
    done = subprocess.run(
        [sys.executable, "-c", FRESH_RUN, str(root)],
        capture_output=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    return pickle.loads(done.stdout)  # noqa: S301 - our own child's output


FRESH_RUN = (
    "import pickle, sys; from pathlib import Path; "
    "from tests.server.test_incremental import in_process_run; "
    "sys.stdout.buffer.write(pickle.dumps(in_process_run(Path(sys.argv[1]))))"
)


def _replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


EDITS = [
    ("blogsite/wsgi.py", lambda text: "# moved down a line\n" + text, False),
    # The schema changes (an index goes, a field another module sorts by is renamed)
    # and every line of the model file moves.
    (
        "blog/models.py",
        lambda text: (
            "# moved\n"
            + text.replace(", db_index=True\n", "\n", 1).replace(
                "published_at =", "published_on =", 1
            )
        ),
        True,
    ),
    # The model file's quotes flip: the index fixes' text follows the file's quotes.
    ("blog/models.py", lambda text: text.replace('"', "'"), True),
    ("blog/models.py", lambda text: text.replace("'", '"'), True),
    (
        "blog/views.py",
        _replace(
            'queryset = Comment.objects.select_related("author", "post")',
            "queryset = Comment.objects.all()",
        ),
        True,
    ),
    (
        "blog/templates/blog/post_feed.html",
        _replace("{{ post.num_comments }}", "{{ post.comments.count }}"),
        True,
    ),
    (HELPER, _replace("Comment.objects.all()", 'Comment.objects.select_related("author")'), True),
    # Request data the caller passes no longer reaches mark_safe: the flow goes.
    (HELPER, _replace("return mark_safe(value)", "return escape(value)"), True),
    (HELPER, _replace("return escape(value)", "return mark_safe(value)"), True),
    # The caller stops passing request data: the flow's finding, in the unchanged helper, goes.
    (LOOP, _replace('shout(request.GET.get("name"))', 'shout("name")'), True),
    ("blog/models.py", lambda text: text.replace("# moved\n", "", 1), True),
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "blog"
    shutil.copytree(FIXTURE, root)
    (root / HELPER).write_text(HELPER_TEXT, encoding="utf-8")
    (root / LOOP).write_text(LOOP_TEXT, encoding="utf-8")
    return root


def replay(tree: Path, edits, before: list[tuple[object, ...]], session: Session):
    """Make each edit in the session and on disk; the two must agree after each."""
    for rel, edit, changes_findings in edits:
        text = edit((tree / rel).read_text(encoding="utf-8"))
        session.update(rel, text)
        after = session_findings(session)
        (tree / rel).write_text(text, encoding="utf-8")
        assert after == full_run(tree), rel
        assert (after != before) is changes_findings, rel
        before = after
    assert session.memo.hits > 0  # facts were reused, not every run computed afresh
    return before


def test_each_edit_gives_the_findings_of_a_full_run(tree: Path):
    session = Session(tree, resolve_config(None, tree))
    before = session_findings(session)
    assert before == full_run(tree)
    assert any(f[1].path == LOOP for f in before)  # the helper's loop is an N+1 at first
    assert any(f[0] == "DJR311" and f[1].path == HELPER for f in before)  # a flow via the caller
    after = replay(tree, EDITS, before, session)
    assert not any(f[0].startswith("DJR1") and f[1].path == LOOP for f in after)  # N+1 cured


BOOK_MODEL = """        model = Book
        fields = ("id", "title", "published", "author", "publisher", "tags")"""
GRAPHQL_EDITS = [
    ("library/loaders.py", lambda text: "# moved down a line\n" + text, False),
    # A resolver's queryset loses its prefetch: the list field's per-object reads are N+1s.
    (
        "library/schema.py",
        _replace(
            'return Publisher.objects.prefetch_related("books")', "return Publisher.objects.all()"
        ),
        True,
    ),
    (
        "library/strawberry_schema.py",
        _replace('.select_related("author").prefetch_related("reviews")', ""),
        True,
    ),
    # A type's model changes (BookType maps Author: its per-book reads go), and back.
    ("library/schema.py", _replace(BOOK_MODEL, BOOK_MODEL.replace("Book", "Author")), True),
    ("library/schema.py", _replace(BOOK_MODEL.replace("Book", "Author"), BOOK_MODEL), True),
    ("library/models.py", lambda text: "# moved\n" + text, False),
]


def opened(tmp_path: Path, fixture: str) -> tuple[Path, Session, list[tuple[object, ...]]]:
    """A copy of a fixture, a session on it, and its first findings (those of a full run)."""
    tree = tmp_path / fixture
    shutil.copytree(FIXTURE.parent / fixture, tree)
    session = Session(tree, resolve_config(None, tree))
    before = session_findings(session)
    assert before == full_run(tree)
    return tree, session, before


def test_graphql_edits_give_the_findings_of_a_full_run(tmp_path: Path):
    tree, session, before = opened(tmp_path, "graphql")
    assert any(f[0] == "DJR150" for f in before)
    replay(tree, GRAPHQL_EDITS, before, session)


SHOP_EDITS = [
    # Every line of both models modules moves: each index fix (Meta.indexes, db_index) is
    # planned again on the new text; a fix text kept from the old text would show.
    ("catalog/models.py", lambda text: "# moved\n" + text, True),
    ("orders/models.py", lambda text: "# moved\n# twice\n" + text, True),
    ("catalog/models.py", lambda text: text.replace("# moved\n", "", 1), True),
]


def test_model_edits_plan_the_index_fixes_of_a_full_run(tmp_path: Path):
    tree, session, before = opened(tmp_path, "shop")
    assert any(f[0].startswith("DJR20") and f[6] is not None for f in before)  # index fixes
    replay(tree, SHOP_EDITS, before, session)


MIXIN = '''

class PublisherBooksMixin:
    """A field and its resolver a type takes from a base in another module."""

    all_books = graphene.List("library.schema.BookType")

    def resolve_all_books(root, info):
        return []
'''
# The kept GraphQL schema is read through a type's bases: a base's body, in a module
# no type lives in, changes what the type's field resolves (graphql_kept).
MIXIN_EDITS = [
    ("library/loaders.py", lambda text: "import graphene\n" + text + MIXIN, False),
    (
        "library/schema.py",
        lambda text: _replace(
            "class PublisherType(DjangoObjectType):",
            "class PublisherType(PublisherBooksMixin, DjangoObjectType):",
        )(
            _replace(
                "from .models import",
                "from .loaders import PublisherBooksMixin\nfrom .models import",
            )(text)
        ),
        True,  # the import moves every line below it
    ),
    # Only the base's resolver changes: each publisher's books are read per publisher.
    (
        "library/loaders.py",
        _replace("        return []\n", "        return root.books.all()\n"),
        True,
    ),
    (
        "library/loaders.py",
        _replace("        return root.books.all()\n", "        return []\n"),
        True,
    ),
]


def test_an_edit_to_a_types_base_in_another_module_gives_the_findings_of_a_full_run(
    tmp_path: Path,
):
    tree, session, before = opened(tmp_path, "graphql")
    after = replay(tree, MIXIN_EDITS[:3], before, session)
    assert any(f[0] == "DJR150" and f[1].path == "library/loaders.py" for f in after)
    replay(tree, MIXIN_EDITS[3:], after, session)


STAMPED = """from django.conf import settings
from django.db import models


class Stamped(models.Model):
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
"""
EDITORS = """from django.http import JsonResponse

from .models import Tag


def editors(request):
    return JsonResponse({"names": [tag.editor.username for tag in Tag.objects.all()]})
"""
RELATION = """    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
"""
PLAIN = "    editor = models.CharField(max_length=40)\n"
# The kept models are read through a model's bases: an abstract base's field, in a
# module no concrete model lives in, decides whether the loop reads a relation.
BASE_EDITS = [
    ("blog/stamps.py", _replace(RELATION, PLAIN), True),
    ("blog/stamps.py", _replace(PLAIN, RELATION), True),
]


def test_an_edit_to_an_abstract_base_in_another_module_gives_the_findings_of_a_full_run(
    tmp_path: Path,
):
    tree = tmp_path / "blog"
    shutil.copytree(FIXTURE, tree)
    (tree / "blog/stamps.py").write_text(STAMPED, encoding="utf-8")
    (tree / "blog/editors.py").write_text(EDITORS, encoding="utf-8")
    models = tree / "blog/models.py"
    text = models.read_text(encoding="utf-8")
    text = _replace("class Tag(models.Model):", "class Tag(Stamped):")(text)
    text = _replace(
        "from django.urls import reverse\n",
        "from django.urls import reverse\n\nfrom .stamps import Stamped\n",
    )(text)
    models.write_text(text, encoding="utf-8")
    session = Session(tree, resolve_config(None, tree))
    before = session_findings(session)
    assert before == full_run(tree)
    assert any(f[0] == "DJR101" and f[1].path == "blog/editors.py" for f in before)
    replay(tree, BASE_EDITS, before, session)


TAGGED_USE = """

def tagged(request):
    return JsonResponse({"n": Tagged.objects.filter(name=request.GET["t"]).count()})
"""
TAGGED_IMPORT = ("from .recent import ", "from .recent import Tagged, ")
TAGGED_MODELS = ("from .models import Comment\n", "from .models import Comment, Tag\n")
TAGGED_DEF = "\n\nTagged = Tag\n"


def _add_tagged(text: str) -> str:
    return _replace(*TAGGED_MODELS)(text) + TAGGED_DEF


def _drop_tagged(text: str) -> str:
    return _replace(*reversed(TAGGED_MODELS))(_replace(TAGGED_DEF, "")(text))


# A new module-level name no file spells leaves the names fingerprint as it was
# (project/referenced.py); once a file spells it, or it answers a name already
# spelled, the facts of every file that may resolve it are computed again. The
# index lookup sites read other modules only through names: a stale fingerprint
# would keep the count of places where Tag.name is looked up. Both orders.
NAME_EDITS = [
    # The view looks up through a name that does not exist yet: nothing to count.
    (LOOP, lambda t: _replace(*TAGGED_IMPORT)(t) + TAGGED_USE, False),
    # The name appears in another module: one more place looks Tag.name up.
    (HELPER, _add_tagged, True),
    (HELPER, _drop_tagged, True),
    (LOOP, lambda t: _replace(*reversed(TAGGED_IMPORT))(_replace(TAGGED_USE, "")(t)), False),
    # The other order: the name first (nobody spells it), then the view.
    (HELPER, _add_tagged, False),
    (LOOP, lambda t: _replace(*TAGGED_IMPORT)(t) + TAGGED_USE, True),
]


def test_a_new_name_gives_the_findings_of_a_full_run_in_either_order(tmp_path: Path):
    tree = tmp_path / "blog"
    shutil.copytree(FIXTURE, tree)
    (tree / HELPER).write_text(HELPER_TEXT, encoding="utf-8")
    (tree / LOOP).write_text(LOOP_TEXT, encoding="utf-8")
    session = Session(tree, resolve_config(None, tree))
    before = session_findings(session)
    after = replay(tree, NAME_EDITS, before, session)
    assert any(f[0] == "DJR201" and "3 places" in f[2] for f in after), after
