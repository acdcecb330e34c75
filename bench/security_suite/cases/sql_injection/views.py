from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import JsonResponse

from .models import Invoice


def search_invoices(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        # suite: positive
        cursor.execute("SELECT id FROM billing_invoice WHERE note LIKE '%%" + term + "%%'")
        # suite: safe
        cursor.execute("SELECT id FROM billing_invoice WHERE note LIKE %s", [f"%{term}%"])
        rows = cursor.fetchall()
    return JsonResponse({"ids": [r[0] for r in rows]})


def invoices_by_status(request):
    status = request.POST["status"]
    # suite: positive
    found = Invoice.objects.raw(f"SELECT * FROM billing_invoice WHERE status = '{status}'")
    # suite: safe
    same = Invoice.objects.raw("SELECT * FROM billing_invoice WHERE status = %s", [status])
    return JsonResponse({"n": len(list(found)) + len(list(same))})


def sorted_invoices(request):
    order = request.GET.get("order", "created")
    query = "SELECT id FROM billing_invoice ORDER BY %s" % order
    with connection.cursor() as cursor:
        # suite: positive
        cursor.execute(query)
        # suite: safe
        cursor.execute("SELECT id FROM billing_invoice ORDER BY created")
    return JsonResponse({})


def annotated(request):
    weight = request.GET.get("w", "1")
    # suite: positive
    ranked = Invoice.objects.annotate(score=RawSQL("amount * " + weight, []))
    # suite: safe
    fixed = Invoice.objects.annotate(score=RawSQL("amount * %s", [weight]))
    # suite: positive
    legacy = Invoice.objects.extra(where=["customer_id = %s" % request.GET["customer"]])
    # suite: safe
    legacy_fixed = Invoice.objects.extra(where=["customer_id = %s"], params=[request.GET["c"]])
    return JsonResponse({"n": ranked.count() + fixed.count() + legacy.count() + legacy_fixed.count()})


def table_stats(request, table_name):
    with connection.cursor() as cursor:
        # suite: positive
        cursor.execute("SELECT COUNT(*) FROM {}".format(table_name))
        # suite: safe
        cursor.execute("SELECT COUNT(*) FROM billing_invoice WHERE id > %s", [0])
        # suite: safe
        cursor.execute("SELECT COUNT(*) FROM %s" % connection.ops.quote_name("billing_invoice"))
    return JsonResponse({})


REPORT_SQL = "SELECT {column} FROM billing_invoice"


def report_column(request):
    sql = REPORT_SQL.replace("{column}", request.GET["column"])
    with connection.cursor() as cursor:
        # suite: positive
        cursor.execute(sql)
    return JsonResponse({})


def nested_search(request):
    def run_query(term):
        with connection.cursor() as cursor:
            # suite: positive
            cursor.execute("SELECT id FROM billing_invoice WHERE note = '%s'" % term)

    run_query(request.GET["q"])
    return JsonResponse({})
