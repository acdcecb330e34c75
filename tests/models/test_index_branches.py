"""A queryset reassigned from itself in two branches of one `if` is two queries.

`if reader: qs = qs.filter(reader_code=r)` / `elif branch: qs =
qs.filter(branch_code=b)` never run together: the second query is the base
query plus `branch_code`, not plus both. Sequential `if`s still add up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Loan(models.Model):
    reader_code = models.CharField(max_length=20)
    branch_code = models.CharField(max_length=20)
    desk = models.CharField(max_length=20)
"""
VIEWS = """from .models import Loan


def lend(request):
    Loan.objects.create(reader_code=request.reader, branch_code=request.branch, desk="a")


def loans(request, first, second):
    qs = Loan.objects.all()
    if first:
        qs = qs.filter(reader_code=first)
    {test}:
        qs = qs.filter({column}=second)
    return list(qs)
"""


@pytest.mark.parametrize(
    ("test", "column", "needs"),
    [
        # Before: one query on both columns (`branch_code,reader_code`).
        ("elif second", "branch_code", {"branch_code", "reader_code"}),
        ("if second", "desk", {"desk,reader_code"}),
    ],
)
def test_only_the_branches_of_one_if_are_separate_queries(
    tmp_path: Path, test: str, column: str, needs: set[str]
) -> None:
    views = VIEWS.replace("{test}", test).replace("{column}", column)
    root = write_tree(
        make_repo(tmp_path / "p"),
        {"desk/__init__.py": "", "desk/models.py": MODELS, "desk/views.py": views},
    )
    found = run_tree(root, select=("DJR201",)).findings
    fields = {str(dict(f.properties or ()).get("fields", "")) for f in found}
    assert {",".join(sorted(f.split(","))) for f in fields} >= needs
