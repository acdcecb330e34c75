"""DJR605: `Cls(**data)` of a class imported from another module of the project."""

from __future__ import annotations

from helpers import make_repo, run_tree, write_tree

_VIEW = "from .schemas import Item\n\n\ndef add(request):\n    return Item(**request.POST.dict())\n"


def _findings(root, schemas):
    files = {"shop/__init__.py": "", "shop/schemas.py": schemas, "shop/views.py": _VIEW}
    write_tree(make_repo(root), files)
    return sorted(
        (f.rule_id, f.location.path, f.location.start_line)
        for f in run_tree(root, select=("DJR605",)).active
    )


def test_an_imported_pydantic_model_or_plain_class_has_no_fields_to_pick(tmp_path) -> None:
    pydantic = "from pydantic import BaseModel\n\n\nclass Item(BaseModel):\n    name: str\n"
    plain = "class Base:\n    pass\n\n\nclass Item(Base):\n    pass\n"
    assert _findings(tmp_path / "pydantic", pydantic) == []
    assert _findings(tmp_path / "plain", plain) == []


def test_an_imported_model_or_a_class_of_unknown_base_stays_reported(tmp_path) -> None:
    found = [("DJR605", "shop/views.py", 5)]
    model = "from django.db import models\n\n\nclass Item(models.Model):\n    pass\n"
    unknown = "from vendor.base import Record\n\n\nclass Item(Record):\n    pass\n"
    assert _findings(tmp_path / "model", model) == found
    assert _findings(tmp_path / "unknown", unknown) == found
