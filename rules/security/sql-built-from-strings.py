from django.db import connection

from .models import Post


def purge(user, sku, table):
    with connection.cursor() as cursor:
        # ruleid: DJR303
        cursor.execute(f"DELETE FROM cart WHERE user_id = {user.pk} AND sku = '{sku}'")
        # ruleid: DJR303
        cursor.execute("SELECT * FROM %s" % table)
        # ok: DJR303
        cursor.execute("DELETE FROM cart WHERE user_id = %s AND sku = %s", [user.pk, sku])
        # ok: DJR303
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(table))
        # ok: DJR303
        cursor.execute(f"SELECT * FROM cart LIMIT {int(sku)}")
    # ruleid: DJR303
    return Post.objects.extra(where=["author_id = %d" % user.pk])


def search(request):
    # ok: DJR303
    return Post.objects.raw(f"SELECT * FROM blog_post WHERE title = '{request.GET['q']}'")


def set_mode(allow_write, queryset):
    mode = "READ WRITE" if allow_write else "READ ONLY"
    with connection.cursor() as cursor:
        # ok: DJR303
        cursor.execute(f"SET SESSION CHARACTERISTICS AS TRANSACTION {mode};")
    sql, params = queryset.query.sql_with_params()
    # ok: DJR303
    return Post.objects.raw(f"SELECT * FROM ({sql}) t WHERE row_number = 1", params)


LOCK_TIMEOUT = "30s"


def vacuum(model, since):
    with connection.cursor() as cursor:
        # ok: DJR303
        cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        # ok: DJR303
        cursor.execute("VACUUM ANALYZE %s" % model._meta.db_table)
        sql = f"DELETE FROM {model._meta.db_table} WHERE created < %s"
        # ok: DJR303
        cursor.execute(sql, [since])
        stale = f"DELETE FROM {model._meta.db_table} WHERE created < '{since}'"
        # ruleid: DJR303
        cursor.execute(stale)
        query = "SELECT * FROM blog_post WHERE slug = 'SLUG'".replace("SLUG", since)
        # ruleid: DJR303
        cursor.execute(query)
