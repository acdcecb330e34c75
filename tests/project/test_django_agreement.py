"""The static index agrees with real Django on every model, field, relation and index.

Each project is loaded with `django.setup()` in a subprocess (test-only:
djreview itself never imports the analysed code) and compared, model by
model, with what the index built without importing anything.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import make_repo

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.model_types import INDEXED_BY_DEFAULT, ModelInfo
from djreview.project.project_model import ProjectModel

ROOT = Path(__file__).resolve().parents[2]
DUMP = Path(__file__).with_name("django_models_dump.py")
TRICKY_SETTINGS = {
    "configure": {
        "INSTALLED_APPS": [
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "core",
            "accounts",
            "blog",
            "shop.apps.ShopConfig",
        ],
        "AUTH_USER_MODEL": "accounts.Member",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    }
}


def django_dump(project: Path, spec: dict[str, Any]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(DUMP), str(project), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _field(index: ProjectModel, model: ModelInfo, name: str) -> dict[str, Any]:
    f = model.fields[name]
    default_index = f.relation in ("fk", "o2o") or f.base_type in INDEXED_BY_DEFAULT
    return {
        "type": f.field_type,
        "column": f.column,
        "relation": f.relation,
        "target": f.target,
        "primary_key": f.primary_key,
        "unique": f.unique,
        "null": f.null,
        "db_index": f.db_index if f.db_index is not None else default_index,
        "model": f.model,
    }


def _dump_model(index: ProjectModel, model: ModelInfo) -> dict[str, Any]:
    meta = model.meta
    concrete = index.model(model.concrete_label)
    return {
        "proxy": model.proxy,
        "db_table": concrete.db_table if concrete else model.db_table,
        "ordering": list(meta.ordering),
        "unique_together": sorted(list(group) for group in meta.unique_together),
        "indexes": sorted(list(i.fields) for i in meta.indexes),
        "unique_constraints": sorted([list(c.fields), c.condition] for c in meta.constraints),
        "fields": {name: _field(index, model, name) for name in model.fields},
        "reverse": {
            accessor: {
                "query_name": r.query_name,
                "model": r.model,
                "field": r.field,
                "multiple": r.multiple,
            }
            for accessor, r in model.reverse.items()
        },
    }


def static_dump(index: ProjectModel, labels: set[str]) -> dict[str, Any]:
    """The static index in the dump's shape, for the models Django installed."""
    return {
        label: _dump_model(index, model)
        for label, model in index.models.items()
        if label in labels and not model.abstract
    }


def _differences(static: dict[str, Any], real: dict[str, Any], path: str) -> list[str]:
    if isinstance(static, dict) and isinstance(real, dict):
        found = []
        for key in sorted(set(static) | set(real), key=str):
            where = f"{path}.{key}"
            if key not in static:
                found.append(f"{where}: missing from the index (Django: {real[key]})")
            elif key not in real:
                found.append(f"{where}: not in Django (index: {static[key]})")
            else:
                found.extend(_differences(static[key], real[key], where))
        return found
    return [] if static == real else [f"{path}: index {static!r} != Django {real!r}"]


def _compare(index: ProjectModel, real: dict[str, Any]) -> None:
    static = static_dump(index, set(real))
    assert _differences(static, real, "") == []


@pytest.mark.parametrize("fixture", ["blog", "shop"])
def test_fixture_models_match_django(fixture: str):
    project = ROOT / "fixtures" / fixture
    index = load_project([project], Config()).analysis(ProjectModel)
    entries = index.settings.entry_modules
    spec = {"module": next(filter(index.settings.is_development, entries), entries[0])}
    _compare(index, django_dump(project, spec))


def test_tricky_layout_matches_django(tmp_path: Path):
    root = make_repo(tmp_path / "tricky")
    shutil.copytree(
        ROOT / "tests" / "data" / "project_layouts" / "tricky", root, dirs_exist_ok=True
    )
    index = load_project([root], Config()).analysis(ProjectModel)
    _compare(index, django_dump(root, TRICKY_SETTINGS))
