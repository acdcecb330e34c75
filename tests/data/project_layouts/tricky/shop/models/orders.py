from django.conf import settings
from django.db import models

from . import catalog as cat
from blog import models as m


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Order(models.Model):
    item = models.ForeignKey(cat.Item, on_delete=models.CASCADE, related_name="orders")
    post = models.ForeignKey(m.Post, on_delete=models.CASCADE)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()


class SpecialOrder(Order):
    note = models.TextField()
