"""Rows for the PostgreSQL proof, whose planner needs real table sizes.

SQLite's plans do not depend on the data, so its runs build nothing (size 1).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone


def build(size):
    from .models import Author, Book

    if size <= 1:
        return {}
    authors = Author.objects.bulk_create(
        Author(name=f"Author {i:05}", email=f"a{i}@example.com", handle=f"h{i}")
        for i in range(size)
    )
    Book.objects.bulk_create(
        Book(
            title=f"Title {i:05}",
            isbn=f"{i:013}",
            shelf=f"S{i % 40}",
            row=i % 97,
            language=f"l{i % 50}",
            edition=i,
            barcode=f"B{i:08}",
            legacy_ref=f"L-{i}",
            internal_ref=f"I-{i}",
            in_print=i % 3 != 0,
            published=date(2000, 1, 1) + timedelta(days=i % 5000),
            author=authors[i % size],
            withdrawn_at=_stamp(i) if i % 50 == 0 else None,
            archived_at=_stamp(i) if i % 50 == 1 else None,
        )
        for i in range(size * 2)
    )
    return {}


def _stamp(i):
    return datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(hours=i)
