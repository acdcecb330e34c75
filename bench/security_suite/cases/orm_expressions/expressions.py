from django.db.models import Func, Lookup
from django.db.models.expressions import RawSQL


class JsonPath(Func):
    def __init__(self, column, path):
        # suite: positive
        super().__init__(column, template=f"%(expressions)s #>> '{{{path}}}'")


class Similarity(Func):
    function = "SIMILARITY"
    # suite: safe
    template = "%(function)s(%(expressions)s)"


class Near(Lookup):
    lookup_name = "near"

    def __init__(self, lhs, rhs, radius):
        self.radius = radius
        super().__init__(lhs, rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # suite: positive
        return f"ST_DWithin({lhs}, {rhs}, {self.radius})", lhs_params + rhs_params


class NearFixed(Lookup):
    lookup_name = "near_fixed"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # suite: safe
        return f"ST_DWithin({lhs}, {rhs}, 1000)", lhs_params + rhs_params


def ranked(queryset, expression):
    # suite: positive
    return queryset.annotate(rank=RawSQL(expression, []))


def ranked_fixed(queryset, weight):
    # suite: safe
    return queryset.annotate(rank=RawSQL("score * %s", [weight]))
