"""Dump what real Django says about a project's models, as JSON (test-only helper).

Run as ``python django_models_dump.py PROJECT_DIR SETTINGS_JSON``. SETTINGS_JSON
is either ``{"module": "pkg.settings"}`` (the project's own settings) or
``{"configure": {...}}`` (keyword arguments for ``settings.configure``). The
output shape is the one `static_dump` in test_django_agreement.py builds from
the static index.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _relation(field: Any) -> str | None:
    if type(field).__name__ == "GenericForeignKey":
        return "generic_fk"
    if field.many_to_many:
        return "m2m"
    if field.one_to_one:
        return "o2o"
    if field.many_to_one:
        return "fk"
    if field.one_to_many:
        return "generic_relation"
    return None


def dump_model(model: Any) -> dict[str, Any]:
    """The comparable facts of one model class."""
    meta = model._meta
    fields: dict[str, Any] = {}
    reverse: dict[str, Any] = {}
    for field in meta.get_fields():
        if (
            field.auto_created
            and not field.concrete
            and field.is_relation
            and hasattr(field, "get_accessor_name")
        ):
            reverse[field.get_accessor_name()] = {
                "query_name": field.name,
                "model": field.related_model._meta.label,
                "field": field.field.name,
                "multiple": field.multiple,
            }
            continue
        related = getattr(field, "related_model", None)
        fields[field.name] = {
            "type": type(field).__name__,
            "column": getattr(field, "column", None)
            if field.concrete and not field.many_to_many
            else None,
            "relation": _relation(field) if field.is_relation else None,
            "target": related._meta.label
            if related is not None and related != "self" and hasattr(related, "_meta")
            else None,
            "primary_key": bool(getattr(field, "primary_key", False)),
            "unique": bool(getattr(field, "unique", False)),
            "null": bool(getattr(field, "null", False)),
            "db_index": bool(getattr(field, "db_index", False)),
            "model": field.model._meta.label,
        }
    return {
        "proxy": meta.proxy,
        "db_table": meta.db_table,
        "ordering": list(meta.ordering),
        "unique_together": sorted(list(group) for group in meta.unique_together),
        "indexes": sorted(list(index.fields) for index in meta.indexes),
        "unique_constraints": sorted(
            [list(c.fields), c.condition is not None]
            for c in meta.constraints
            if type(c).__name__ == "UniqueConstraint"
        ),
        "fields": fields,
        "reverse": reverse,
    }


def main() -> None:
    """Load the project with Django and print every installed model's facts."""
    project_dir, spec = sys.argv[1], json.loads(sys.argv[2])
    sys.path.insert(0, project_dir)
    os.chdir(project_dir)
    import django
    from django.conf import settings

    if "module" in spec:
        os.environ["DJANGO_SETTINGS_MODULE"] = spec["module"]
    else:
        settings.configure(**spec["configure"])
    django.setup()
    from django.apps import apps

    print(json.dumps({m._meta.label: dump_model(m) for m in apps.get_models()}, sort_keys=True))


if __name__ == "__main__":
    main()
