from django.db import models
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase


class Label(TagBase):
    pass


class LabelledItem(GenericTaggedItemBase):
    tag = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="items")


class Note(models.Model):
    # The first positional argument of TaggableManager is its verbose name, not a model.
    labels = TaggableManager("Labels", through="notes.LabelledItem", blank=True)
    text = models.TextField()
