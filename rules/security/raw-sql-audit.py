from django.db import connection

from .models import Post


def report(user, column):
    with connection.cursor() as cursor:
        # ruleid: DJR321
        cursor.execute("SELECT id FROM blog_post WHERE author_id = %s", [user.pk])
        # ok: DJR321
        cursor.execute(f"SELECT {column} FROM blog_post")
    # ruleid: DJR321
    posts = Post.objects.raw("SELECT * FROM blog_post")
    # ok: DJR321
    other = Post.objects.raw("SELECT * FROM blog_post WHERE id = " + str(user.pk))
    # ok: DJR321
    mine = Post.objects.filter(author=user)
    return posts, other, mine
