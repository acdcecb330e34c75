from django.db import connection

TABLES = ("billing_invoice", "billing_payment")


def vacuum_all():
    with connection.cursor() as cursor:
        for table in TABLES:
            # suite: safe
            cursor.execute(f"VACUUM ANALYZE {table}")


def purge_before(day):
    with connection.cursor() as cursor:
        # suite: safe
        cursor.execute("DELETE FROM billing_invoice WHERE created < %s", [day])
