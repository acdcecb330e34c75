"""Migration files for index fixes, written statically as `makemigrations` would.

No Django import: the index name follows `Index.set_name_with_model` (table
and first column truncated, an md5 digest, `_idx`), the file name follows
`Migration.suggest_name` (operation fragments joined, `_and_more` past 52
characters) and the layout follows Django's MigrationWriter.
"""

from __future__ import annotations

import ast
import hashlib
import re

from djreview.indexes.model_defs import FieldDef, ModelDef, dotted

# Callables whose single string argument a migration stores as the plain string.
TRANSLATION_CALLS = frozenset({"_", "gettext", "gettext_lazy", "ugettext_lazy", "pgettext_lazy"})
# django.db.models field classes a migration can name as `models.<Class>`.
DJANGO_FIELDS = frozenset(
    {
        "BigIntegerField",
        "BinaryField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "DurationField",
        "EmailField",
        "FilePathField",
        "FloatField",
        "GenericIPAddressField",
        "IntegerField",
        "JSONField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "TimeField",
        "URLField",
        "UUIDField",
    }
)


def index_name(model: ModelDef, fields: tuple[str, ...]) -> str:
    """The name Django would give `models.Index(fields=fields)` on `model` (≤ 30 characters)."""
    table = model.table.split(".")[-1].strip('"')
    columns = [(model.field(name).column if model.field(name) else name) for name in fields]  # type: ignore[union-attr]
    digest = hashlib.md5(usedforsecurity=False)
    for part in [table, *columns, "idx"]:
        digest.update(part.encode())
    name = f"{table[:11]}_{columns[0][:7]}_{digest.hexdigest()[:6]}_idx"
    if name[0] == "_" or name[0].isdigit():
        name = f"D{name[1:]}"
    return name


def index_source(model: ModelDef, fields: tuple[str, ...]) -> str:
    """`models.Index(fields=[...], name="...")` for a model file."""
    listed = ", ".join(f'"{name}"' for name in fields)
    return f'models.Index(fields=[{listed}], name="{index_name(model, fields)}")'


def add_index_operation(model: ModelDef, fields: tuple[str, ...]) -> tuple[str, str]:
    """(operation source, name fragment) of an AddIndex."""
    name = index_name(model, fields)
    listed = ", ".join(repr(field) for field in fields)
    source = (
        "        migrations.AddIndex(\n"
        f"            model_name={model.name.lower()!r},\n"
        f"            index=models.Index(fields=[{listed}], name={name!r}),\n"
        "        ),\n"
    )
    return source, f"{model.name.lower()}_{name.lower()}"


def _static(node: ast.expr) -> ast.expr | None:
    """A copy of a field argument a migration can hold verbatim, or None."""
    if isinstance(node, ast.Constant):
        return node
    if isinstance(node, ast.List | ast.Tuple):
        items = [_static(e) for e in node.elts]
        if all(items):
            return type(node)(elts=items, ctx=ast.Load())  # type: ignore[arg-type]
        return None
    if isinstance(node, ast.Attribute) and dotted(node).startswith("models."):
        return node
    if (
        isinstance(node, ast.Call)
        and dotted(node.func) in TRANSLATION_CALLS
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and not node.keywords
    ):
        return node.args[0]
    return None


def alter_field_operation(model: ModelDef, field: FieldDef) -> tuple[str, str] | None:
    """(operation source, name fragment) of an AlterField adding db_index, or None.

    None when the field's definition cannot be copied into a migration as
    written (computed choices, callables, custom field classes): the caller
    then falls back to a `Meta.indexes` entry and an AddIndex.
    """
    call = field.call
    if call is None or field.relation:
        return None
    kind = dotted(call.func)
    if kind.removeprefix("models.") not in DJANGO_FIELDS:
        return None
    args = [_static(a) for a in call.args]
    keywords = [(kw.arg, _static(kw.value)) for kw in call.keywords if kw.arg != "db_index"]
    if not all(args) or any(kw is None or value is None for kw, value in keywords):
        return None
    parts = [ast.unparse(a) for a in args if a is not None]
    # The MigrationWriter sorts keyword arguments.
    parts += sorted(
        [f"{kw}={ast.unparse(value)}" for kw, value in keywords if value is not None]
        + ["db_index=True"]
    )
    definition = f"models.{kind.removeprefix('models.')}({', '.join(parts)})"
    source = (
        "        migrations.AlterField(\n"
        f"            model_name={model.name.lower()!r},\n"
        f"            name={field.name!r},\n"
        f"            field={definition},\n"
        "        ),\n"
    )
    return source, f"alter_{model.name.lower()}_{field.name.lower()}"


def migration_name(number: int, fragments: list[str]) -> str:
    """`NNNN_<fragments>` as Migration.suggest_name builds it."""
    name = fragments[0]
    for fragment in fragments[1:]:
        longer = f"{name}_{fragment}"
        if len(longer) > 52:
            name = f"{name}_and_more"
            break
        name = longer
    return f"{number:04d}_" + re.sub(r"\W+", "_", name)


def migration_text(app: str, dependency: str, operations: list[str]) -> str:
    """A migration module in MigrationWriter's layout."""
    depends = f"        ({app!r}, {dependency!r}),\n" if dependency else ""
    return (
        "# Generated by djreview\n"
        "\n"
        "from django.db import migrations, models\n"
        "\n"
        "\n"
        "class Migration(migrations.Migration):\n"
        "\n"
        "    dependencies = [\n"
        f"{depends}"
        "    ]\n"
        "\n"
        "    operations = [\n"
        f"{''.join(operations)}"
        "    ]\n"
    )
