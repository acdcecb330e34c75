from django.db import models

__all__ = ["Item"]


class Item(models.Model):
    name = models.CharField(max_length=100, unique=True)
    # Circular: orders imports catalog, catalog refers to orders lazily.
    last_order = models.ForeignKey("store.Order", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        unique_together = [("name", "id")]
        constraints = [models.UniqueConstraint(fields=["name"], condition=models.Q(id__gt=0), name="uniq_name")]


class ItemProxy(Item):
    class Meta:
        proxy = True
