from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import Feed, Subscription


@receiver(pre_save, sender=Subscription)
def stamp_renewal(sender, instance, **kwargs):
    # Acts on every save: bulk_create()/bulk_update() would skip it.
    instance.renewed = True


@receiver(post_save, sender=Feed)
def fetch_new_feed(sender, instance, created, **kwargs):
    """Only a created feed is fetched."""
    if not created:
        return
    print("fetch", instance.url)
