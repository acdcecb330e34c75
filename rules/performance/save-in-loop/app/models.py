from django.db import models


class Label(models.Model):
    name = models.CharField(max_length=50)


class Post(models.Model):
    title = models.CharField(max_length=100)
    word_count = models.IntegerField(default=0)
    body = models.TextField()
    labels = models.ManyToManyField(Label)


class Page(models.Model):
    title = models.CharField(max_length=100)
    slug = models.SlugField()

    def save(self, *args, **kwargs):
        # Project code bulk_create() and bulk_update() would skip.
        self.slug = self.title.lower().replace(" ", "-")
        super().save(*args, **kwargs)


class Stamped(models.Model):
    changed_at = models.DateTimeField(null=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Inherited by every model: no sign that a row-by-row save is meant.
        self.changed_at = None
        super().save(*args, **kwargs)


class Note(Stamped):
    text = models.TextField()


class Subscription(models.Model):
    renewed = models.BooleanField(default=False)


class Feed(models.Model):
    url = models.URLField()
