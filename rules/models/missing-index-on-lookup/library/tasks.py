"""Nightly purges: holds cancelled or expired over a year ago are deleted."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from library.models import Book, Hold, Renewal


def purge_cancelled_holds():
    cutoff = timezone.now() - timezone.timedelta(days=365)
    Hold.objects.filter(cancelled_at__lt=cutoff).delete()


def purge_expired_holds():
    cutoff = timezone.now() - timezone.timedelta(days=365)
    Hold.objects.filter(expired_at__lt=cutoff).delete()


def purge_renewals(channel):
    cutoff = timezone.now() - timezone.timedelta(days=365)
    gone = Book.objects.filter(pk=OuterRef("book_id"), in_print=False)
    Renewal.objects.filter(Q(Exists(gone)) | Q(channel=channel), renewed_at__lt=cutoff).delete()
