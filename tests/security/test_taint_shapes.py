"""Request-data tracking: one test per shape a flow takes, and its sanitised twin (silent)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import make_repo, run_tree

HEADER = """\
from django.db import connection
from django.views import View

"""

# shape -> (files of the tainted version, the line of the sink as (file, text))
SHAPES: dict[str, dict[str, str]] = {
    "direct": {
        "views.py": """
            def search(request):
                connection.cursor().execute("SELECT * FROM t WHERE a = '%s'" % {q})
        """,
    },
    "local-variable": {
        "views.py": """
            def search(request):
                q = {q}
                sql = f"SELECT * FROM t WHERE a = '{{q}}'"
                connection.cursor().execute(sql)
        """,
    },
    "helper-same-module": {
        "views.py": """
            def build(term):
                return "SELECT * FROM t WHERE a = '" + term + "'"

            def search(request):
                connection.cursor().execute(build({q}))
        """,
    },
    "helper-other-module": {
        "views.py": """
            from .queries import run_search

            def search(request):
                term = {q}
                return run_search(term)
        """,
        "queries.py": """
            def run_search(term):
                connection.cursor().execute(f"SELECT * FROM t WHERE a = '{{term}}'")
        """,
    },
    "class-view-attribute": {
        "views.py": """
            class Search(View):
                def setup(self, request, *args, **kwargs):
                    super().setup(request, *args, **kwargs)
                    self.term = {q}

                def get(self, request, *args, **kwargs):
                    connection.cursor().execute(f"SELECT * FROM t WHERE a = '{{self.term}}'")
        """,
    },
    "nested-function": {
        "views.py": """
            def search(request):
                q = {q}

                def run():
                    connection.cursor().execute(f"SELECT * FROM t WHERE a = '{{q}}'")

                return run()
        """,
    },
    "nested-function-reading-the-request": {
        "views.py": """
            def search(request):
                def run(term):
                    connection.cursor().execute(f"SELECT * FROM t WHERE a = '{{term}}'")

                return run({q})
        """,
    },
    "redefined-function": {
        "views.py": """
            def search(request):
                q = {q}
                connection.cursor().execute(f"SELECT * FROM t WHERE a = '{{q}}'")

            def search(request):
                return None
        """,
    },
    "property-getter-and-setter": {
        "views.py": """
            class Search(View):
                def get(self, request, *args, **kwargs):
                    return self.term

                @property
                def term(self):
                    q = {q}
                    connection.cursor().execute(f"SELECT * FROM t WHERE a = '{{q}}'")

                @term.setter
                def term(self, value):
                    self._term = value
        """,
    },
    "class-view-kwargs": {
        "views.py": """
            class Detail(View):
                def get(self, request, *args, **kwargs):
                    slug = {kwargs}
                    connection.cursor().execute("SELECT * FROM t WHERE slug = '" + slug + "'")
        """,
    },
}
TAINTED = {"q": 'request.GET["q"]', "kwargs": 'self.kwargs["slug"]'}
SANITISED = {"q": 'int(request.GET["q"])', "kwargs": 'int(self.kwargs["slug"])'}


def _write(tmp_path: Path, files: dict[str, str], values: dict[str, str]) -> Path:
    root = make_repo(tmp_path / "project")
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    for name, body in files.items():
        source = HEADER + textwrap.dedent(body).format(**values)
        (app / name).write_text(source)
    return root


def _sql_findings(root: Path):
    result = run_tree(root, select=("DJR302",))
    return [f for f in result.findings if f.rule_id == "DJR302"]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_tainted_shape_is_found_with_its_path(shape: str, tmp_path: Path) -> None:
    root = _write(tmp_path, SHAPES[shape], TAINTED)
    findings = _sql_findings(root)
    assert len(findings) == 1, findings
    finding = findings[0]
    sink_file = root / finding.location.path
    assert ".execute(" in sink_file.read_text().splitlines()[finding.location.start_line - 1]
    assert "data from the HTTP request" in finding.flow[0].message
    assert finding.flow[-1].message == "reaches `execute()`"
    assert finding.flow[-1].location.start_line == finding.location.start_line


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_sanitised_shape_is_silent(shape: str, tmp_path: Path) -> None:
    root = _write(tmp_path, SHAPES[shape], SANITISED)
    assert _sql_findings(root) == []


def test_flow_through_another_module_names_both_files(tmp_path: Path) -> None:
    root = _write(tmp_path, SHAPES["helper-other-module"], TAINTED)
    (finding,) = _sql_findings(root)
    paths = [step.location.path for step in finding.flow]
    assert paths[0] == "app/views.py"
    assert paths[-1] == "app/queries.py"
    assert any("passed to `run_search()`" in step.message for step in finding.flow)


def test_helper_reading_the_request_itself_taints_its_result(tmp_path: Path) -> None:
    files = {
        "views.py": """
            def term_of(request):
                return request.POST.get("term", "")

            def search(request):
                connection.cursor().execute("SELECT * FROM t WHERE a = '%s'" % term_of(request))
        """
    }
    (finding,) = _sql_findings(_write(tmp_path, files, {}))
    messages = [step.message for step in finding.flow]
    assert messages[0].startswith("`request.POST`")
    assert any("returned by `term_of()`" in message for message in messages)


def test_reassignment_to_a_constant_ends_the_flow(tmp_path: Path) -> None:
    files = {
        "views.py": """
            def search(request):
                q = request.GET["q"]
                q = "fixed"
                connection.cursor().execute("SELECT * FROM t WHERE a = '%s'" % q)
        """
    }
    assert _sql_findings(_write(tmp_path, files, {})) == []


def test_recursive_helpers_terminate(tmp_path: Path) -> None:
    files = {
        "views.py": """
            def ping(x):
                return pong(x)

            def pong(x):
                return ping(x)

            def search(request):
                connection.cursor().execute("SELECT '%s'" % ping(request.GET["q"]))
        """
    }
    assert _sql_findings(_write(tmp_path, files, {})) == []


ROUTED_VIEWS = """
    def by_name(request, name, page="1"):
        connection.cursor().execute("SELECT * FROM t WHERE name = '%s'" % name)
        connection.cursor().execute("SELECT * FROM t LIMIT %s" % page)

    def by_pk(request, pk):
        connection.cursor().execute("SELECT * FROM t WHERE id = %s" % pk)

    class Detail(View):
        def get(self, request, *args, **kwargs):
            connection.cursor().execute("SELECT * FROM t WHERE id = %s" % self.kwargs["pk"])
            connection.cursor().execute("SELECT * FROM t WHERE tag = '%s'" % self.kwargs["tag"])
"""
URLS = """
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("n/<str:name>/", views.by_name),
    path("p/<int:pk>/", views.by_pk),
    re_path(r"^d/(?P<pk>\\d+)/(?P<tag>[^/]+)/$", views.Detail.as_view()),
]
"""


def test_url_converters_decide_which_parameters_are_request_data(tmp_path: Path) -> None:
    root = _write(tmp_path, {"views.py": ROUTED_VIEWS}, {})
    (root / "app" / "urls.py").write_text(URLS)
    lines = {
        (root / f.location.path).read_text().splitlines()[f.location.start_line - 1].strip()
        for f in _sql_findings(root)
    }
    assert lines == {
        """connection.cursor().execute("SELECT * FROM t WHERE name = '%s'" % name)""",
        """connection.cursor().execute("SELECT * FROM t WHERE tag = '%s'" % self.kwargs["tag"])""",
    }


def test_form_data_before_validation_is_request_data(tmp_path: Path) -> None:
    files = {
        "views.py": """
            from .forms import SearchForm

            def search(request):
                form = SearchForm(request.POST)
                connection.cursor().execute("SELECT '%s'" % form.data["q"])
                if form.is_valid():
                    connection.cursor().execute("SELECT '%s'" % form.cleaned_data["q"])
        """
    }
    root = _write(tmp_path, files, {})
    (finding,) = _sql_findings(root)
    line = (root / finding.location.path).read_text().splitlines()[finding.location.start_line - 1]
    assert "form.data" in line


def test_allow_list_check_ends_the_flow(tmp_path: Path) -> None:
    files = {
        "views.py": """
            COLUMNS = {{"title", "created"}}

            def listing(request):
                order = request.GET["order"]
                if order not in COLUMNS:
                    order = "title"
                connection.cursor().execute("SELECT * FROM t ORDER BY " + order)
        """
    }
    assert _sql_findings(_write(tmp_path, files, {})) == []
