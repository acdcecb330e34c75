"""`djreview models`: text, JSON and a well-formed Mermaid ER diagram."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from djreview.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
ENTITY = re.compile(r"^    (\w+) \{$")
ATTRIBUTE = re.compile(r'^        \w+ \w+( (PK|FK|UK)(, (PK|FK|UK))*)?( "[^"]*")?$')
RELATION = re.compile(r'^    (\w+) (\|o|\}o|\|\|)--(\|\||o\||o\{) (\w+) : "[^"]*"$')


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["models", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_mermaid_diagram_is_well_formed():
    text = run(str(ROOT / "fixtures" / "shop"), "--format", "mermaid")
    lines = text.splitlines()
    assert lines[0] == "erDiagram"
    entities, relations, inside = set(), [], False
    for line in lines[1:]:
        if inside:
            if line == "    }":
                inside = False
            else:
                assert ATTRIBUTE.match(line), line
        elif match := ENTITY.match(line):
            entities.add(match[1])
            inside = True
        else:
            match = RELATION.match(line)
            assert match, line
            relations.append((match[1], match[2] + "--" + match[3], match[4]))
    assert not inside
    assert {"catalog_Product", "orders_OrderLine", "auth_User"} <= entities
    assert all(left in entities and right in entities for left, _, right in relations)
    # A nullable self-reference, a plain FK, and a one-to-one to the user model.
    assert ("catalog_Category", "}o--o|", "catalog_Category") in relations
    assert ("orders_OrderLine", "}o--||", "catalog_Variant") in relations
    assert ("orders_Customer", "|o--||", "auth_User") in relations
    assert '        ForeignKey variant_id FK "indexed"' in lines


def test_json_lists_models_fields_and_reverse_accessors():
    data = json.loads(run(str(ROOT / "fixtures" / "blog"), "--format", "json"))
    assert data["user_model"] == "auth.User"
    post = next(m for m in data["models"] if m["label"] == "blog.Post")
    author = next(f for f in post["fields"] if f["name"] == "author")
    assert author["target"] == "auth.User" and author["column"] == "author_id"
    assert {
        "accessor": "comments",
        "query_name": "comments",
        "model": "blog.Comment",
        "field": "post",
        "multiple": True,
    } in post["reverse"]


def test_text_output_shows_relations_and_a_summary():
    text = run(str(ROOT / "fixtures" / "blog"))
    assert "blog.Post  " in text
    assert re.search(r"author\s+ForeignKey\s+-> auth\.User", text)
    assert text.rstrip().endswith("relations.")
