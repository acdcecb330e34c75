"""Peer audit markers, tests/migrations and audit-level rules in a real run."""

from __future__ import annotations

from helpers import make_repo, run_tree

from djreview.engine.peer_markers import peer_silenced

_VIEW = (
    "from django.utils.safestring import mark_safe\n\n\n"
    "def badge(user):\n"
    "    return mark_safe('<b>' + user.name + '</b>'){marker}\n"
)


# DJR301 is audit-level (off by default): the marker cases select it by id.
def _ids(tmp_path, files, select=("security", "DJR301")):
    root = make_repo(tmp_path)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sorted((f.rule_id, f.location.path) for f in run_tree(root, select=select).active)


def test_noqa_s308_silences_mark_safe(tmp_path) -> None:
    found = _ids(tmp_path, {"app/views.py": _VIEW.format(marker="  # noqa: S308 - escaped")})
    assert ("DJR301", "app/views.py") not in found


def test_nosec_with_other_code_keeps_mark_safe(tmp_path) -> None:
    found = _ids(tmp_path, {"app/views.py": _VIEW.format(marker="  # nosec B105")})
    assert ("DJR301", "app/views.py") in found


def test_unmarked_mark_safe_is_reported(tmp_path) -> None:
    assert ("DJR301", "app/views.py") in _ids(tmp_path, {"app/views.py": _VIEW.format(marker="")})


def test_noqa_s308_silences_request_data_into_mark_safe(tmp_path) -> None:
    view = (
        "from django.utils.safestring import mark_safe\n\n\n"
        "def banner(request):\n"
        "    return mark_safe(request.GET['b']){marker}\n"
    )
    marked = _ids(tmp_path / "a", {"app/views.py": view.format(marker="  # noqa: S308 - audited")})
    assert ("DJR311", "app/views.py") not in marked
    assert ("DJR311", "app/views.py") in _ids(
        tmp_path / "b", {"app/views.py": view.format(marker="")}
    )


def test_security_rule_skips_tests_and_migrations(tmp_path) -> None:
    files = {
        "app/tests/test_views.py": _VIEW.format(marker=""),
        "app/migrations/0002_data.py": _VIEW.format(marker=""),
    }
    assert _ids(tmp_path, files) == []


def test_a_test_package_named_after_the_project_is_tests(tmp_path) -> None:
    # shuup keeps its tests in a top-level `shuup_tests/` package.
    assert _ids(tmp_path / "a", {"shop_tests/xtheme/utils.py": _VIEW.format(marker="")}) == []
    # A module merely named like one is still project code.
    found = _ids(tmp_path / "b", {"shop/latest_tests_report.py": _VIEW.format(marker="")})
    assert ("DJR301", "shop/latest_tests_report.py") in found


def test_audit_rule_runs_only_when_selected(tmp_path) -> None:
    form = (
        "from django import forms\n\nfrom .models import Post\n\n\n"
        "class PostForm(forms.ModelForm):\n"
        "    class Meta:\n"
        "        model = Post\n"
        "        fields = '__all__'\n"
    )
    files = {
        "app/forms.py": form,
        "app/models.py": (
            "from django.db import models\n\n\n"
            "class Post(models.Model):\n    title = models.CharField(max_length=9)\n"
        ),
    }
    assert ("DJR604", "app/forms.py") not in _ids(tmp_path / "a", files, select=("security",))
    assert ("DJR604", "app/forms.py") in _ids(tmp_path / "b", files, select=("audit",))
    assert ("DJR604", "app/forms.py") in _ids(tmp_path / "c", files, select=("all",))


def test_peer_marker_map() -> None:
    assert peer_silenced("DJR301", "x = mark_safe(y)  # nosec")
    assert peer_silenced("DJR402", 'SECRET_KEY = "x"  # noqa: S105 - dev only')
    assert not peer_silenced("DJR402", 'SECRET_KEY = "x"  # noqa: E501')
    assert not peer_silenced("DJR607", "x = y  # nosec")


def test_security_rule_skips_the_repository_examples_folder(tmp_path) -> None:
    # nautobot ships `examples/example_app/`, an app to copy from, not deployed code.
    example = "examples/example_app/example_app/views.py"
    assert _ids(tmp_path / "a", {example: _VIEW.format(marker="")}) == []
    # An app's own `examples` module, or an examples folder inside a package, is project code.
    found = _ids(
        tmp_path / "b",
        {"shop/examples/views.py": _VIEW.format(marker=""), "examples.py": _VIEW.format(marker="")},
    )
    assert ("DJR301", "shop/examples/views.py") in found
    assert ("DJR301", "examples.py") in found
