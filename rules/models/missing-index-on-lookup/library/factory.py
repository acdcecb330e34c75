"""Test-data factory (a `factory.py` module): never a reason for an index."""

from library.models import Book


def sample_books(tag):
    return Book.objects.filter(sample_tag=tag)
