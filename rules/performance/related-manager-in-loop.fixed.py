# DJR102 related-manager-in-loop: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/views.py ---
from django.db.models import Count, Prefetch, Subquery

from .models import Tag, Post, Comment


def counts():
    for post in Post.objects.all().prefetch_related("comments"):
        # ruleid: DJR102
        print(post.comments.count())


def tag_lists():
    posts = Post.objects.filter(title__startswith="A").prefetch_related("tags")
    # ruleid: DJR102
    return {post.title: [tag.name for tag in post.tags.all()] for post in posts}


def through_a_method():
    # ruleid: DJR102
    return [post.tag_names() for post in Post.objects.all().prefetch_related("tags")]


def reverse_of_an_m2m():
    for tag in Tag.objects.all().prefetch_related("posts"):
        # ruleid: DJR102
        if tag.posts.exists():
            print(tag.name)


def prefetched():
    for post in Post.objects.prefetch_related("tags", "comments"):
        # ok: DJR102
        print(post.comments.count(), [tag.name for tag in post.tags.all()])


def prefetched_through_a_method():
    # ok: DJR102
    return [post.tag_names() for post in Post.objects.prefetch_related("tags")]


def annotated_count():
    for post in Post.objects.annotate(num_comments=Count("comments")):
        # ok: DJR102
        print(post.num_comments)


def to_attr_read_correctly():
    posts = Post.objects.prefetch_related(
        Prefetch("comments", queryset=Comment.objects.select_related("author"), to_attr="recent")
    )
    for post in posts:
        # ok: DJR102
        print([comment.author.username for comment in post.recent])


def writes_are_not_reads():
    tag = Tag.objects.first()
    for post in Post.objects.all():
        # ok: DJR102
        post.tags.add(tag)


def one_object(pk):
    post = Post.objects.get(pk=pk)
    # ok: DJR102
    return post.comments.count()


def deleting_per_row_is_a_write():
    for post in Post.objects.all():
        # ok: DJR102
        post.comments.filter(body="").delete()


def inside_a_subquery():
    for post in Post.objects.all():
        # ok: DJR102
        print(Post.objects.filter(tags__in=Subquery(post.tags.values("pk"))).exists())
