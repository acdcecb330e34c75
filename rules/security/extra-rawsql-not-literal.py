from django.db.models import F
from django.db.models.expressions import RawSQL as Raw
from mylib import RawSQL

RANK = "score * 2"


def ranked(queryset, order, weight):
    # ruleid: DJR328
    first = queryset.extra(select={"rank": order})
    # ok: DJR328
    second = queryset.extra(select={"rank": "score * 2"})
    # ruleid: DJR328
    third = queryset.annotate(rank=Raw(order, [weight]))
    # ok: DJR328
    fourth = queryset.annotate(rank=Raw("score * %s", [weight]))
    # ok: DJR328
    fifth = queryset.annotate(rank=RawSQL(order, [weight]))
    # ok: DJR328
    sixth = queryset.annotate(rank=Raw(RANK, []))
    return first, second, third, fourth, fifth, sixth


def filtered(queryset, column):
    clause = "active = true"
    clauses = [clause, "deleted_at IS NULL"]
    # ok: DJR328
    first = queryset.extra(where=clauses)
    # ok: DJR328
    second = queryset.extra(where=[f"{column} IS NOT NULL"])
    # ruleid: DJR328
    third = queryset.extra(where=[column.sql()])
    # ok: DJR328
    fourth = queryset.order_by(F(column).desc())
    return first, second, third, fourth
