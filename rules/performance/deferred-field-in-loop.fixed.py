# DJR106 deferred-field-in-loop: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/views.py ---
from django.db.models.functions import Length

from .models import Post


def excerpts():
    # ruleid: DJR106
    return {post.title: post.body[:80] for post in Post.objects.only("title", "body")}


def without_summary():
    for post in Post.objects.defer("summary"):
        # ruleid: DJR106
        print(post.summary)


def loaded():
    # ok: DJR106
    return {post.title: post.body[:80] for post in Post.objects.only("title", "body")}


def pk_is_always_loaded():
    for post in Post.objects.only("title"):
        # ok: DJR106
        print(post.pk, post.title)


def deferred_but_unused():
    for post in Post.objects.defer("summary"):
        # ok: DJR106
        print(post.title, post.body)


def guarded_in_a_method():
    posts = Post.objects.defer("body").annotate(body_length=Length("body"))
    # ok: DJR106
    return [post.to_dict() for post in posts]
