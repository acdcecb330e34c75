"""`djreview models`: the model graph as a text table, JSON, or a Mermaid ER diagram."""

from __future__ import annotations

import json
import re
from typing import Any

from djreview.project.model_types import FieldInfo, ModelInfo
from djreview.project.project_model import ProjectModel

# Mermaid cardinality markers, read as "<this side>--<other side>" from the declaring model.
_CARDINALITY = {
    ("fk", False): "}o--||",
    ("fk", True): "}o--o|",
    ("o2o", False): "|o--||",
    ("o2o", True): "|o--o|",
    ("m2m", False): "}o--o{",
    ("m2m", True): "}o--o{",
    ("generic_relation", False): "||--o{",
    ("generic_relation", True): "||--o{",
}


def shown_models(index: ProjectModel, include_abstract: bool = False) -> list[ModelInfo]:
    """Project models (sorted by label) plus the built-in models they point at."""
    project = [
        m for m in index.models.values() if not m.builtin and (include_abstract or not m.abstract)
    ]
    labels = {m.label for m in project}
    targets = {
        f.target
        for m in project
        for f in m.fields.values()
        if f.target is not None and f.target not in labels
    }
    extra = [index.models[t] for t in sorted(targets) if t in index.models]
    return sorted(project, key=lambda m: m.label) + extra


def _field_json(field: FieldInfo) -> dict[str, Any]:
    return {
        "name": field.name,
        "type": field.field_type,
        "column": field.column,
        "relation": field.relation,
        "target": field.target,
        "target_raw": field.target_raw,
        "related_name": field.related_name,
        "through": field.through,
        "null": field.null,
        "unique": field.unique,
        "primary_key": field.primary_key,
        "indexed": field.indexed,
        "model": field.model,
        "line": field.location.start_line if field.location else None,
    }


def to_json(index: ProjectModel) -> str:
    """Every shown model with fields, reverse accessors, Meta and managers."""
    models = []
    for model in shown_models(index, include_abstract=True):
        meta = model.meta
        models.append(
            {
                "label": model.label,
                "module": model.module,
                "file": model.file,
                "builtin": model.builtin,
                "abstract": model.abstract,
                "proxy": model.proxy,
                "bases": list(model.bases),
                "db_table": model.db_table,
                "fields": [_field_json(f) for f in model.fields.values()],
                "reverse": [
                    {
                        "accessor": r.accessor,
                        "query_name": r.query_name,
                        "model": r.model,
                        "field": r.field,
                        "multiple": r.multiple,
                    }
                    for r in model.reverse.values()
                ],
                "ordering": list(meta.ordering),
                "indexes": [
                    {
                        "fields": list(i.fields),
                        "name": i.name,
                        "kind": i.kind,
                        "condition": i.condition,
                    }
                    for i in meta.indexes
                ],
                "unique_together": [list(group) for group in meta.unique_together],
                "constraints": [
                    {"fields": list(c.fields), "name": c.name, "condition": c.condition}
                    for c in meta.constraints
                ],
                "managers": {
                    name: {"class": m.manager_class, "queryset": m.queryset_class}
                    for name, m in model.managers.items()
                },
            }
        )
    return json.dumps({"user_model": index.user_model_label, "models": models}, indent=2) + "\n"


def to_text(index: ProjectModel) -> str:
    """A readable listing: one block per model, one line per field."""
    lines: list[str] = []
    shown = shown_models(index)
    for model in shown:
        kind = " (proxy)" if model.proxy else " (built-in)" if model.builtin else ""
        lines.append(f"{model.label}{kind}  {model.file}")
        for field in model.fields.values():
            flags = [
                flag
                for flag, on in (
                    ("pk", field.primary_key),
                    ("unique", field.unique and not field.primary_key),
                    ("indexed", field.indexed and not field.unique),
                    ("null", field.null),
                )
                if on
            ]
            target = ""
            if field.relation is not None and field.relation != "generic_fk":
                target = f" -> {field.target or '?' + (field.target_raw or '')}"
            lines.append(
                f"  {field.name:<28} {field.field_type:<22}{target}"
                + (f"  [{', '.join(flags)}]" if flags else "")
            )
        for accessor, relation in model.reverse.items():
            lines.append(f"  {accessor:<28} <- {relation.model}.{relation.field}")
        lines.append("")
    relations = sum(
        1
        for m in shown
        for f in m.fields.values()
        if f.model == m.label and f.relation not in (None, "generic_fk")
    )
    lines.append(f"{len(shown)} models, {relations} relations.")
    return "\n".join(lines) + "\n"


def _entity(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", label)


def _word(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text) or "field"


def to_mermaid(index: ProjectModel) -> str:
    """A Mermaid `erDiagram`: entities with keys and indexed fields, relation lines."""
    shown = shown_models(index)
    labels = {m.label for m in shown}
    lines = ["erDiagram"]
    edges: list[str] = []
    for model in shown:
        lines.append(f"    {_entity(model.label)} {{")
        for field in model.fields.values():
            if field.relation in ("m2m", "generic_relation", "generic_fk"):
                continue
            keys = [
                k
                for k, on in (
                    ("PK", field.primary_key),
                    ("FK", field.relation in ("fk", "o2o")),
                    ("UK", field.unique and not field.primary_key),
                )
                if on
            ]
            comment = ' "indexed"' if field.indexed and not field.unique else ""
            name = field.column or field.name
            lines.append(
                f"        {_word(field.field_type)} {_word(name)}"
                + (f" {', '.join(keys)}" if keys else "")
                + comment
            )
        lines.append("    }")
        for field in model.fields.values():
            marker = _CARDINALITY.get((field.relation or "", field.null))
            if marker is None or field.target not in labels or field.model != model.label:
                continue
            text = field.name + (f" / {field.related_name}" if field.related_name else "")
            edges.append(
                f'    {_entity(model.label)} {marker} {_entity(field.target or "")} : "{text}"'
            )
    return "\n".join(lines + edges) + "\n"
