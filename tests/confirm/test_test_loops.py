"""A test's own loop over project calls is no N+1; a loop inside one project call is.

Found on a public project's suite: tests that build rows through a helper in
a loop (``[create_user(...) for i in range(5)]``) were reported as
dynamic-only N+1 findings inside the helper, because every pass issued the
same queries from the same lines. The copy of the blog fixture gets a test
module written here that calls project code both ways, with real queries.
"""

from __future__ import annotations

import textwrap

import pytest

from .plugin_run import PluginRun, copy_fixture, run_plugin

_LOOPS = '''
"""Written into a copy of the blog fixture by djreview's plugin tests."""

import pytest
from django.test import RequestFactory

from blog.digest import digest
from blog.models import Post
from blog.testdata import build


@pytest.mark.django_db
def test_the_tests_own_loop_reads_each_author():
    build(3)
    names = [post.author_name for post in Post.objects.all()]
    assert len(names) == 3


@pytest.mark.django_db
def test_one_call_whose_own_loop_reads_each_row():
    build(3)
    response = digest(RequestFactory().get("/digest/"))
    assert response.status_code == 200
'''

_OWN_LOOP = "tests/test_loops.py::test_the_tests_own_loop_reads_each_author"
_ONE_CALL = "tests/test_loops.py::test_one_call_whose_own_loop_reads_each_row"


@pytest.fixture(scope="module")
def looped(tmp_path_factory) -> PluginRun:
    copy = copy_fixture("blog", tmp_path_factory.mktemp("loops"))
    (copy / "tests" / "test_loops.py").write_text(textwrap.dedent(_LOOPS))
    run = run_plugin(copy, "--djreview", "tests/test_loops.py")
    assert run.returncode == 0, run.output
    return run


def _author_name_line(run: PluginRun) -> int:
    lines = (run.copy / "blog" / "models.py").read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if "self.author.get_full_name()" in text)


def test_a_property_read_in_the_tests_own_loop_is_not_reported(looped):
    line = _author_name_line(looped)
    assert looped.report["tests"] == 2
    at_property = [d for d in looped.report["dynamic"] if d["path"] == "blog/models.py"]
    assert at_property == [], at_property
    # The builder's own loop (one call of build(), a query per post) still counts.
    from_own_loop = {
        (d["path"], d["line"]) for d in looped.report["dynamic"] if _OWN_LOOP in d["tests"]
    }
    assert from_own_loop and all(path == "blog/testdata.py" for path, _ in from_own_loop)
    assert ("blog/models.py", line) not in from_own_loop
    # Nor does the test's loop confirm a static finding whose loop calls the property.
    confirmed_by_own_loop = {
        f["path"]
        for f in looped.report["findings"]
        if f["state"] == "confirmed" and f["test"] == _OWN_LOOP
    }
    assert confirmed_by_own_loop == {"blog/testdata.py"}, confirmed_by_own_loop


def test_a_loop_inside_one_call_from_a_test_is_still_found(looped):
    (repeat,) = looped.dynamic_at("planted", "digest_relation")
    assert repeat["tests"] == [_ONE_CALL]
    assert repeat["count"] == 3
