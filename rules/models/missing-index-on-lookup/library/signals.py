"""Rows written as other rows are saved."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from library.models import Borrowing, Receipt, Shelf, ShelfMove


@receiver(pre_save, sender=Shelf)
def record_move(sender, instance, **kwargs):
    old = Shelf.objects.filter(pk=instance.pk).first()
    if old is not None and old.code != instance.code:
        ShelfMove.objects.create(shelf=instance, old_code=old.code)


@receiver(post_save, sender=Borrowing)
def issue_receipt(sender, instance, created, **kwargs):
    if created:
        Receipt.objects.create(number=f"R{instance.pk}")
