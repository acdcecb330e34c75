from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import Named, TimeStamped


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")


class PostManager(models.Manager.from_queryset(PostQuerySet)):
    def recent(self):
        return self.order_by("-created_at")[:5]


class Post(Named, TimeStamped):
    title = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=10, choices=[("draft", "Draft"), ("published", "Published")])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    related = models.ManyToManyField("self", blank=True)
    followers = models.ManyToManyField("accounts.Member", related_name="followed_%(class)ss", blank=True)

    notes = GenericRelation("Note", related_query_name="post")

    objects = PostManager()

    class Meta(TimeStamped.Meta):
        indexes = [models.Index(fields=["status", "-created_at"], name="post_status_idx")]

    @property
    def summary(self):
        return self.title[:20]


class Item(models.Model):
    """Same model name as shop.Item."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE)


class Note(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    text = models.TextField(db_column="body")


class Place(models.Model):
    name = models.CharField(max_length=50)


class Restaurant(Place):
    place = models.OneToOneField(Place, parent_link=True, primary_key=True, on_delete=models.CASCADE)
    slug = models.SlugField()
