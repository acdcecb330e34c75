"""The nightly purge of the index-proof project: books withdrawn or archived long ago."""

from .models import Book


def purge_withdrawn(cutoff):
    # planted: missing-index — a range over the mostly-NULL withdrawn_at: a partial index WHERE withdrawn_at IS NOT NULL [withdrawn_purge]
    return Book.objects.filter(withdrawn_at__lt=cutoff).delete()


def purge_archived(cutoff):
    # twin: missing-index — the partial index WHERE archived_at IS NOT NULL serves the range [archived_purge]
    return Book.objects.filter(archived_at__lt=cutoff).delete()
