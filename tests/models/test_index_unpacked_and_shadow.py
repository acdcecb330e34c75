"""Two roots of a lookup the index rules used to lose.

- An unmanaged model mapping another model's table (`managed = False`, also
  from an abstract base's Meta, and that model's `db_table`): its queries
  read the managed model's rows, whose indexes serve them; the need goes on
  the managed model, where a migration can add the index.
- `filter(**params)` where `params` is a dict literal of lookups (one per
  branch): the dict's keys are the query's lookups.
"""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Form(models.Model):
    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    asset_uid = models.CharField(max_length=32, null=True)


class Shadow(models.Model):
    class Meta:
        abstract = True
        managed = False


class FormView(Shadow):
    asset_uid = models.CharField(max_length=32, null=True)

    class Meta(Shadow.Meta):
        db_table = "forms_form"
"""


def _findings(tmp_path: Path, query: str) -> list[tuple[str, int, str]]:
    root = make_repo(tmp_path / "p")
    views = (
        "from .models import Form, FormView\n\n\n"
        f"def page(request, uid, owner, extra):\n{query}\n\n\n"
        "def create(request):\n    Form.objects.create(owner=request.user, asset_uid=request.uid)\n"
    )
    files = {
        "forms/__init__.py": "",
        "forms/models.py": MODELS,
        "forms/views.py": views,
        "forms/migrations/__init__.py": "",
    }
    result = run_tree(write_tree(root, files), select=("DJR201",))
    return [(f.location.path, f.location.start_line, f.message) for f in result.findings]


def test_a_query_through_an_unmanaged_model_asks_for_the_index_on_the_table_owner(
    tmp_path: Path,
) -> None:
    (found,) = _findings(tmp_path, "    return FormView.objects.filter(asset_uid=uid).first()")
    path, line, message = found
    assert (path, line) == ("forms/models.py", 6)
    assert message.startswith("Form.asset_uid is looked up")


def test_branch_dicts_unpacked_into_filter_are_its_lookups(tmp_path: Path) -> None:
    query = (
        "    params = {'owner': owner}\n"
        "    if uid:\n"
        "        params = {'asset_uid': uid}\n"
        "    return Form.objects.filter(**params).first()"
    )
    (found,) = _findings(tmp_path, query)
    assert found[2].startswith("Form.asset_uid is looked up")


def test_a_parameter_unpacked_into_filter_leaves_the_query_unjudged(tmp_path: Path) -> None:
    query = "    return Form.objects.filter(asset_uid=uid, **extra).first()"
    assert _findings(tmp_path, query) == []
