from django.db.models import Prefetch

from .models import Post, Comment


def approved():
    posts = Post.objects.prefetch_related("comments")
    for post in posts:
        # ruleid: DJR103
        print(post.comments.filter(is_approved=True))


def newest_first():
    # ruleid: DJR103
    return [post.comments.order_by("-created") for post in Post.objects.prefetch_related("comments")]


def served_by_the_cache():
    for post in Post.objects.prefetch_related("comments"):
        # ok: DJR103
        print(post.comments.all(), post.comments.count(), post.comments.exists())


def filtered_inside_the_prefetch():
    posts = Post.objects.prefetch_related(
        Prefetch("comments", queryset=Comment.objects.filter(is_approved=True), to_attr="approved")
    )
    for post in posts:
        # ok: DJR103
        print(post.approved)


def not_prefetched_is_another_rule():
    for post in Post.objects.all():
        # ok: DJR103
        print(post.comments.filter(is_approved=True))
