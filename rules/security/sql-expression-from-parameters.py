from django.db import models
from django.db.models import Func, Lookup, Value
from django.db.models.expressions import Expression as Base
from mylib import Func as Step


class JsonKey(Func):
    def __init__(self, field, key):
        # ruleid: DJR329
        super().__init__(field, template=f"%(expressions)s ->> '{key}'")


class JsonKeyFixed(Func):
    template = "%(expressions)s ->> %(key)s"

    def __init__(self, field, key):
        # ok: DJR329
        super().__init__(field, Value(key))


class Named(models.Func):
    def __init__(self, *expressions, name):
        # ruleid: DJR329
        self.function = name
        super().__init__(*expressions)


class Pipeline(Step):
    def __init__(self, field, key):
        # ok: DJR329
        super().__init__(field, template=f"{key}")


class Contains(Lookup):
    lookup_name = "has"

    def __init__(self, lhs, rhs, operator="@>"):
        self.operator = operator
        super().__init__(lhs, rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if self.operator == "@>":
            # ok: DJR329
            return f"{lhs} @> {rhs}", lhs_params + rhs_params
        # ruleid: DJR329
        return f"{lhs} {self.operator} {rhs}", lhs_params + rhs_params


class Tablesample(Base):
    def as_sql(self, compiler, connection, percent=10):
        # ruleid: DJR329
        return "TABLESAMPLE SYSTEM (%s)" % percent, []

    def as_postgresql(self, compiler, connection):
        # ok: DJR329
        return "TABLESAMPLE SYSTEM (%s)", [10]


class Concat(Func):
    template = "%(left)s || %(right)s"

    def as_sqlite(self, compiler, connection, template=None):
        left, left_params = compiler.compile(self.source_expressions[0])
        right, right_params = compiler.compile(self.source_expressions[1])
        template = template or self.template
        # ok: DJR329
        return template % {"left": left, "right": right}, left_params + right_params
