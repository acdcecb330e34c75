"""The names fingerprint leaves out bindings no file spells (project/referenced.py)."""

from __future__ import annotations

from pathlib import Path

from djreview.config import resolve_config
from djreview.project import facts_context
from djreview.project.project_model import ProjectModel
from djreview.project.referenced import spelled_in
from djreview.server.session import Session
from djreview.source.file import SourceFile

HELPERS = "app/helpers.py"
VIEWS = "app/views.py"


def _file(text: str) -> SourceFile:
    return SourceFile(path=Path("m.py"), rel="m.py", kind="python", text=text)


def test_what_a_file_spells_leaves_out_what_it_binds_itself():
    spelled = spelled_in(
        _file(
            "from .models import Post as P\n"
            "import app.helpers\n"
            "LIMIT = 3\n"
            "def view(request):\n"
            "    rows = P.objects.all()[:LIMIT]\n"
            "    stored_only = 2\n"
            "    return app.helpers.render(rows, 'app.views.other')\n"
        )
    )
    assert {"Post", "P", "objects", "all", "helpers", "render", "other"} <= spelled
    assert {"models", "app"} <= spelled  # module paths are resolved through too
    # Bound at its own top level (LIMIT, view) or only stored: never another module's.
    assert not {"LIMIT", "view", "stored_only"} & spelled


def _fingerprint(session: Session) -> str:
    project = session.project()
    return facts_context.index_names(project, project.analysis(ProjectModel))


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / HELPERS).write_text("def render(rows):\n    return rows\n")
    (tmp_path / VIEWS).write_text(
        "from .helpers import render\n\n\ndef page(request):\n    return render([])\n"
    )
    return tmp_path


def test_a_new_name_counts_once_a_file_spells_it(tmp_path: Path):
    root = _tree(tmp_path)
    session = Session(root, resolve_config(None, root))
    first = _fingerprint(session)
    helpers = session.files[HELPERS].text
    session.update(HELPERS, helpers + "\n\ndef fresh_helper():\n    return 1\n")
    assert _fingerprint(session) == first  # nobody spells it: no module resolves it
    views = session.files[VIEWS].text
    session.update(VIEWS, views.replace("import render", "import fresh_helper, render"))
    assert _fingerprint(session) != first


def test_a_sessions_fingerprint_is_that_of_a_fresh_session_on_the_same_texts(tmp_path: Path):
    # helpers binds a name first, views spells it later: helpers' digest, kept from
    # before, must take the name in (a fresh session sees both texts at once).
    root = _tree(tmp_path)
    session = Session(root, resolve_config(None, root))
    _fingerprint(session)
    edits = [
        (HELPERS, lambda t: t + "\n\ndef fresh_helper():\n    return 1\n"),
        (VIEWS, lambda t: t.replace("import render", "import fresh_helper, render")),
        (VIEWS, lambda t: t.replace("import fresh_helper, render", "import render")),
    ]
    for rel, edit in edits:
        text = edit(session.files[rel].text)
        session.update(rel, text)
        (root / rel).write_text(text)
        fresh = Session(root, resolve_config(None, root))
        assert _fingerprint(session) == _fingerprint(fresh), rel
