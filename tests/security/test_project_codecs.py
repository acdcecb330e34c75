"""The project's own safe YAML loaders (DJR304) and pickled model fields it alone fills
(DJR325), resolved across modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree


def _lines(tmp_path: Path, files: dict[str, str], rule: str) -> list[tuple[str, int]]:
    result = run_tree(write_tree(make_repo(tmp_path), files), select=(rule,))
    return [(f.location.path, f.location.start_line) for f in result.findings if f.rule_id == rule]


BASE_LOADER = "import yaml\n\n\nclass BaseLoader(yaml.{base}):\n    pass\n"
LOADER = "from conf.base_loader import BaseLoader\n\n\nclass Loader(BaseLoader):\n    pass\n"
USE = """\
import yaml

from conf import loader


def read(f):
    return yaml.load(f, loader.Loader)
"""


@pytest.mark.parametrize(
    ("base", "reported"),
    [("SafeLoader", False), ("CSafeLoader", False), ("Loader", True), ("UnsafeLoader", True)],
)
def test_project_loader_judged_by_the_pyyaml_loader_it_reaches(
    tmp_path: Path, base: str, reported: bool
) -> None:
    files = {
        "conf/__init__.py": "",
        "conf/base_loader.py": BASE_LOADER.format(base=base),
        "conf/loader.py": LOADER,
        "conf/use.py": USE,
    }
    assert _lines(tmp_path, files, "DJR304") == ([("conf/use.py", 7)] if reported else [])


MODELS = """\
from django.db import models


class Batch(models.Model):
    pickled_data = models.TextField()
"""
QUEUE = """\
import pickle
from base64 import b64decode, b64encode

from jobs.models import Batch


def enqueue(items):
    Batch(pickled_data=b64encode(pickle.dumps(items))).save()


def drain():
    return [pickle.loads(b64decode(row.pickled_data)) for row in Batch.objects.all()]
"""


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ({}, False),
        # Registered in the admin: staff can write the field (not read-only there).
        (
            {
                "jobs/admin.py": "from django.contrib import admin\n"
                "from jobs.models import Batch\n\n"
                "admin.site.register(Batch)\n"
            },
            True,
        ),
        # Another write that is not pickle output.
        (
            {
                "jobs/api.py": "from jobs.models import Batch\n\n\ndef put(request):\n"
                "    Batch.objects.create(pickled_data=request.body)\n"
            },
            True,
        ),
    ],
)
def test_pickled_field_only_the_project_fills(
    tmp_path: Path, extra: dict[str, str], reported: bool
) -> None:
    files = {"jobs/__init__.py": "", "jobs/models.py": MODELS, "jobs/queue.py": QUEUE, **extra}
    assert _lines(tmp_path, files, "DJR325") == ([("jobs/queue.py", 12)] if reported else [])
