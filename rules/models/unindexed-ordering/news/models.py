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
