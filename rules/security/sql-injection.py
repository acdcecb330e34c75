from django.db import connection
from django.db.models.expressions import RawSQL

from .models import Post


def direct(request):
    # ruleid: DJR302
    return Post.objects.raw("SELECT * FROM blog_post WHERE title = '%s'" % request.GET["q"])


def through_variable(request):
    q = request.GET.get("q", "")
    sql = f"SELECT * FROM blog_post WHERE title LIKE '%{q}%'"
    with connection.cursor() as cursor:
        # ruleid: DJR302
        cursor.execute(sql)
        # ok: DJR302
        cursor.execute("SELECT * FROM blog_post WHERE title LIKE %s", [f"%{q}%"])
    # ok: DJR302
    return Post.objects.raw("SELECT * FROM blog_post WHERE title = %s", params=[q])


def order(request):
    column = request.POST["order"]
    # ruleid: DJR302
    return Post.objects.annotate(v=RawSQL("SELECT " + column, ())).extra(
        # ok: DJR302
        where=["id > %s"], params=[column]
    )


def by_number(request):
    limit = int(request.GET["limit"])
    # ok: DJR302
    return Post.objects.raw(f"SELECT * FROM blog_post LIMIT {limit}")


def from_the_database(author):
    # ok: DJR302
    return Post.objects.raw(f"SELECT * FROM blog_post WHERE author_id = {author.pk}")


def nested_helper(request):
    term = request.GET.get("q", "")

    def run(cursor):
        # ruleid: DJR302
        cursor.execute(f"SELECT * FROM blog_post WHERE title = '{term}'")
        # ok: DJR302
        cursor.execute("SELECT * FROM blog_post WHERE title = %s", [term])

    with connection.cursor() as cursor:
        run(cursor)


def redefined(request):
    return None


def redefined(request):  # noqa: F811 -- the second definition is the one Django routes to
    sql = "SELECT * FROM blog_post WHERE id = %s" % request.GET["id"]
    with connection.cursor() as cursor:
        # ruleid: DJR302
        cursor.execute(sql)
        # ok: DJR302
        cursor.execute("SELECT * FROM blog_post WHERE id = %s", [request.GET["id"]])


REPORT_SQL = "SELECT {column} FROM blog_post"


def report_column(request):
    sql = REPORT_SQL.replace("{column}", request.GET["column"])
    safe = REPORT_SQL.replace("{column}", "title")
    with connection.cursor() as cursor:
        # ruleid: DJR302
        cursor.execute(sql)
        # ok: DJR302
        cursor.execute(safe)
