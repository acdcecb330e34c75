from .models import Feed, Label, Note, Page, Post, Subscription


def recount():
    for post in Post.objects.all():
        post.word_count = len(post.body.split())
        # ruleid: DJR105
        post.save(update_fields=["word_count"])


def import_titles(titles):
    for title in titles:
        # ruleid: DJR105
        Post.objects.create(title=title)


def build_and_save(titles):
    for title in titles:
        post = Post(title=title)
        # ruleid: DJR105
        post.save()


def bulk(titles):
    posts = [Post(title=title) for title in titles]
    # ok: DJR105
    Post.objects.bulk_create(posts)


def not_a_model(forms):
    for form in forms:
        # ok: DJR105
        form.save()


def saved_once(pk):
    post = Post.objects.get(pk=pk)
    post.title = post.title.strip()
    # ok: DJR105
    post.save()


def through_the_project_save(titles, user_id):
    for title in titles:
        post = Post(title=title)
        # ok: DJR105
        post.save(created_by_id=user_id)


def through_a_custom_create(titles):
    for title in titles:
        # ok: DJR105
        Post.objects.create(title=title, notify_followers=False)


def pages_saved_for_their_slugs(titles):
    for title in titles:
        page = Page(title=title)
        # ruleid: DJR105
        page.save()


def pages_created_for_their_slugs(titles):
    for title in titles:
        # ruleid: DJR105
        Page.objects.create(title=title)


def stamped_notes_saved(texts, user):
    for text in texts:
        note = Note(text=text)
        # ruleid: DJR105
        note.save()


def label_every_post(label):
    for post in Post.objects.all():
        # ok: DJR105 (the row is the owner: its batch is the through model's bulk_create)
        post.labels.add(label)


def labels_one_by_one(post):
    # `post` is untyped: the many-to-many field named `labels` to Label says what add() is.
    for label in Label.objects.filter(name__startswith="a"):
        # ruleid: DJR105
        post.labels.add(label)


def labels_at_once(post):
    # ok: DJR105
    post.labels.add(*Label.objects.filter(name__startswith="a"))


def labels_from_the_form(post, cleaned_labels):
    for label in cleaned_labels:
        # ok: DJR105
        post.labels.add(label)


def seen_labels(seen):
    for label in Label.objects.all():
        # ok: DJR105
        seen.add(label)


def renew_subscriptions():
    for subscription in Subscription.objects.all():
        # ok: DJR105 (a pre_save receiver acts on every save; a bulk write would skip it)
        subscription.save()


def normalise_feed_urls():
    for feed in Feed.objects.all():
        feed.url = feed.url.strip()
        # ruleid: DJR105 (the post_save receiver acts only on created feeds)
        feed.save()


def add_feeds(urls):
    for url in urls:
        # ok: DJR105 (the post_save receiver acts on every created feed)
        Feed.objects.create(url=url)


def one_post_for_many_titles(titles):
    post = None
    for title in titles:
        if post is None:
            # ok: DJR105 (the once-guard runs get_or_create at most once)
            post, _ = Post.objects.get_or_create(title=title)
        print(post, title)
