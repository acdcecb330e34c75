"""A numbered one-off job (like a data migration): run once, never a reason for an index."""

from library.models import Book


def run(ref):
    return Book.objects.filter(batch_ref=ref).update(batch_ref="")
