from django.shortcuts import get_object_or_404

from .constants import ALL_SLUGS
from .models import Post, Comment


def by_ids(ids):
    titles = []
    for pk in ids:
        # ruleid: DJR104
        titles.append(Post.objects.get(pk=pk).title)
    return titles


def pending(posts):
    for post in posts:
        # ruleid: DJR104
        print(Comment.objects.filter(post=post, is_approved=False).count())


def shortcut(slugs):
    # ruleid: DJR104
    return [get_object_or_404(Post, title=slug) for slug in slugs]


def iterating_per_item(ids):
    for pk in ids:
        # ruleid: DJR104
        for comment in Comment.objects.filter(post_id=pk):
            print(comment.pk)


def bounded_literal_loop():
    for title in ("about", "contact"):
        # ok: DJR104
        print(Post.objects.filter(title=title).exists())


def fetched_once(ids):
    posts = Post.objects.in_bulk(ids)
    for pk in ids:
        # ok: DJR104
        print(posts[pk].title)


def built_not_run(ids):
    filters = []
    for pk in ids:
        # ok: DJR104
        filters.append(Post.objects.filter(pk=pk))
    return filters


def cached_rows(ids):
    posts = Post.objects.filter(title__startswith="A")
    for pk in ids:
        # ok: DJR104
        print([post.title for post in posts if post.pk == pk])


def in_batches(batches):
    for batch_pks in batches:
        # ok: DJR104
        print(list(Post.objects.filter(pk__in=batch_pks)))


def first_match(titles):
    for title in titles:
        if title.startswith("A"):
            # ok: DJR104
            post = Post.objects.get(title=title)
            return post
    return None


def memo_guard(ids):
    latest = None
    for pk in ids:
        if latest is None:
            # ok: DJR104
            latest = Post.objects.latest("pk")
        print(pk, latest)


def memo_dict(ids):
    cache = {}
    for pk in ids:
        try:
            post = cache[pk]
        except KeyError:
            # ok: DJR104
            post = cache[pk] = Post.objects.get(pk=pk)
        print(post)


def guard_reset_every_iteration(ids):
    for pk in ids:
        post = None
        if post is None:
            # ruleid: DJR104
            post = Post.objects.get(pk=pk)
        print(post)


def one_key_of_a_dict(params):
    for name, value in params.items():
        if name == "since":
            # ok: DJR104
            print(Post.objects.get(pk=value))


def one_key_of_a_literal():
    keys = ["first", "last"]
    for key in keys:
        if key == "first":
            # ok: DJR104
            print(Post.objects.order_by("pk").first())


def any_key_of_a_list(keys):
    for key in keys:
        if key == "first":
            # ruleid: DJR104
            print(Post.objects.get(slug=key))


class Command:
    def handle(self, *args, **options):
        for pk in options["ids"]:
            # ok: DJR104
            print(Post.objects.get(pk=pk))


FEATURED_SLUGS = ["welcome", "about"]


def featured_posts():
    for slug in FEATURED_SLUGS:
        # ok: DJR104
        print(Post.objects.filter(title=slug).exists())


def labelled_posts():
    labels = {"welcome": "Start here", "about": "Who we are"}
    for slug, label in labels.items():
        # ok: DJR104
        print(label, Post.objects.filter(title=slug).exists())


def posts_of_chosen_slugs(slugs):
    for slug in slugs:
        # ruleid: DJR104
        print(Post.objects.filter(title=slug).exists())


def posts_of_collected_slugs(posts):
    slugs = []
    for post in posts:
        slugs.append(post.title)
    for slug in slugs:
        # ruleid: DJR104
        print(Post.objects.filter(title=slug).exists())


def approved_counts_in_chunks(post_ids, size):
    counts = {}
    for start in range(0, len(post_ids), size):
        chunk = post_ids[start : start + size]
        # ok: DJR104 (each query fetches a chunk of ids: already the batch)
        for comment in Comment.objects.filter(post_id__in=chunk, is_approved=True):
            counts[comment.post_id] = counts.get(comment.post_id, 0) + 1
    return counts


def titles_by_group(groups):
    for label, ids in groups.items():
        # ok: DJR104 (the loop hands out a collection of ids per group)
        print(label, Post.objects.filter(pk__in=ids).count())


def titles_per_reader(readers, read_ids):
    for reader in readers:
        # ruleid: DJR104 (a collection looked up per row is no batch)
        print(reader, Post.objects.filter(pk__in=read_ids[reader]).count())


def first_post_once(slugs):
    first = None
    for slug in slugs:
        if first is None:
            # ok: DJR104 (the guard runs the query at most once)
            first = Post.objects.get(title=slug)
        print(first, slug)


def first_post_reset_per_slug(slugs):
    for slug in slugs:
        first = None
        if first is None:
            # ruleid: DJR104 (reset on every iteration: the guard is always open)
            first = Post.objects.get(title=slug)
        print(first)


def every_known_slug():
    for slug in ALL_SLUGS:
        # ok: DJR104 (a list unpacking module literals: its length is fixed by code)
        print(Post.objects.filter(title=slug).exists())


def every_title_again():
    titles = [*Post.objects.values_list("title", flat=True)]
    for slug in titles:
        # ruleid: DJR104 (unpacking rows is no literal)
        print(Post.objects.filter(title=slug).exists())


def posts_of_spelled_slugs(slugs):
    for slug in slugs:
        # ok: DJR104 (every caller in the project passes a literal list)
        print(Post.objects.filter(title=slug).exists())


def posts_of_given_slugs(slugs):
    for slug in slugs:
        # ruleid: DJR104 (one caller passes what the request holds)
        print(Post.objects.filter(title=slug).exists())


def landing_pages(request):
    posts_of_spelled_slugs(["welcome", "about"])
    posts_of_spelled_slugs(slugs=("contact",))
    posts_of_given_slugs(["welcome"])
    posts_of_given_slugs(request.GET.getlist("slug"))
