from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # ruleid: DJR203
    published_at = models.DateTimeField(null=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=10, db_index=True)
    # ruleid: DJR203
    score = models.IntegerField(default=0)
    rank = models.IntegerField(default=0)

    class Meta:
        # flagged: DJR203, reported at the model field
        ordering = ["-score"]


class Note(models.Model):
    text = models.TextField()
    position = models.IntegerField(default=0)

    class Meta:
        # ok: DJR203
        ordering = ["position"]


class Desk(models.Model):
    """The newsroom's desks: a handful, typed in once."""

    name = models.CharField(max_length=40)


class WireLog(models.Model):
    """A line per wire story received, listed newest first across desks."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE)
    # ruleid: DJR203 (a log listed across its few desks: the whole table in this order)
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received"]


class ReadLog(models.Model):
    """A line each time a reader opens an article: read per article, never as one list."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    # ok: DJR203 (a log of a growing table's rows: read per article, where a key-led index serves)
    opened = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened"]


class PressLog(models.Model):
    """A line per press release sent, which staff browse in the admin only."""

    # ok: DJR203 (only an admin changelist lists it: a staff page never makes a need alone)
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent"]
