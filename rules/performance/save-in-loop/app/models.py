from django.db import models


class Post(models.Model):
    title = models.CharField(max_length=100)
    word_count = models.IntegerField(default=0)
    body = models.TextField()


class Page(models.Model):
    title = models.CharField(max_length=100)
    slug = models.SlugField()

    def save(self, *args, **kwargs):
        # Project code bulk_create() and bulk_update() would skip.
        self.slug = self.title.lower().replace(" ", "-")
        super().save(*args, **kwargs)
