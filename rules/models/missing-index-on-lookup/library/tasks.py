"""Nightly purges: holds cancelled or expired over a year ago are deleted."""

from django.utils import timezone

from library.models import Hold


def purge_cancelled_holds():
    cutoff = timezone.now() - timezone.timedelta(days=365)
    Hold.objects.filter(cancelled_at__lt=cutoff).delete()


def purge_expired_holds():
    cutoff = timezone.now() - timezone.timedelta(days=365)
    Hold.objects.filter(expired_at__lt=cutoff).delete()
