"""Runtime cases of the index-proof project (format: fixtures/blog/runtime_cases.py).

Every planted case is a B-tree-fixable missing index: its plan scans (or
sorts in a temporary B-tree) before `djreview fix` and searches an index
after. `author_ordering` is the planted Meta.ordering of the listed Author.
"""

from __future__ import annotations

SETTINGS = "librarysite.settings"
BUILD = "library.testdata:build"
SIZES = (1,)
# The PostgreSQL proof fills the tables (library.testdata:build) at this size.
PG_ROWS = 3000
N_PLUS_ONE: dict[str, dict[str, object]] = {}


def _book(**lookup):
    from library.models import Book

    return Book.objects.filter(**lookup)


def _isbn_detail():
    return _book(isbn="123")


def _title_published():
    return _book(title="Dune", published__gte="2020-01-01")


def _author_email_span():
    return _book(author__email="a@example.com")


def _legacy_ref_conditional():
    return _book(legacy_ref="L-1")


def _barcode_q():
    from django.db.models import Q
    from library.models import Book

    return Book.objects.filter(Q(barcode="b"))


def _row_not_leading():
    return _book(row=3)


def _author_ordering():
    from library.models import Author

    return Author.objects.all()[:20]


def _language_unique_together():
    return _book(language="en")


def _shelf_composite():
    return _book(shelf="A")


def _internal_ref_runsql():
    return _book(internal_ref="I-1")


def _author_handle_unique():
    from library.models import Author

    return Author.objects.filter(handle="h")


def _author_name_test_only():
    from library.models import Author

    return Author.objects.filter(name="nobody")


def _author_books_since():
    return _book(author_id=1, published__gte="2020-01-01").order_by("published")


def _author_books_by_title():
    return _book(author_id=1).order_by("title")


def _edition_reassigned():
    return _book(edition=3)


def _language_edition_reassigned():
    return _book(language="l1", edition=3)


def _purge(field):
    from datetime import datetime, timezone

    return _book(**{f"{field}__lt": datetime(2020, 3, 1, tzinfo=timezone.utc)})


def _withdrawn_purge():
    return _purge("withdrawn_at")


def _archived_purge():
    return _purge("archived_at")


INDEXES = {
    "withdrawn_purge": {"query": _withdrawn_purge, "planted": True},
    "archived_purge": {"query": _archived_purge, "planted": False},
    "isbn_detail": {"query": _isbn_detail, "planted": True},
    "title_published": {"query": _title_published, "planted": True},
    "author_email_span": {"query": _author_email_span, "planted": True},
    "legacy_ref_conditional": {"query": _legacy_ref_conditional, "planted": True},
    "barcode_q": {"query": _barcode_q, "planted": True},
    "row_not_leading": {"query": _row_not_leading, "planted": True},
    "author_ordering": {"query": _author_ordering, "planted": True},
    "author_books_since": {"query": _author_books_since, "planted": True},
    "edition_reassigned": {"query": _edition_reassigned, "planted": True},
    "language_unique_together": {"query": _language_unique_together, "planted": False},
    "shelf_composite": {"query": _shelf_composite, "planted": False},
    "internal_ref_runsql": {"query": _internal_ref_runsql, "planted": False},
    "author_handle_unique": {"query": _author_handle_unique, "planted": False},
    "author_books_by_title": {"query": _author_books_by_title, "planted": False},
    "language_edition_reassigned": {"query": _language_edition_reassigned, "planted": False},
    "author_name_test_only": {"query": _author_name_test_only, "planted": False, "plan": "scan"},
}
