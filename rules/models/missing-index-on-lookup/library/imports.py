"""The nightly catalogue import: books and authors arrive in bulk, so both tables grow."""

from library.models import (
    Author,
    Book,
    Format,
    Hold,
    Loan,
    Publisher,
    Quote,
    Renewal,
    Review,
    SiteSetting,
    Tag,
)


def import_catalogue(rows):
    authors = Author.objects.bulk_create(Author(name=row["author"]) for row in rows)
    Book.objects.bulk_create(Book(title=row["title"], author=a) for row, a in zip(rows, authors))


def import_formats(rows):
    for row in rows:
        Format.objects.get_or_create(name=row["format"])
        Publisher.objects.get_or_create(name=row["publisher"])


def import_loans(rows):
    Loan.objects.bulk_create(Loan(book_id=row["book"], kind=row["kind"]) for row in rows)


def import_holds(rows):
    Hold.objects.bulk_create(Hold(book_id=row["book"]) for row in rows)


def ensure_settings():
    SiteSetting.objects.get_or_create(key="banner", defaults={})


def import_tags(rows):
    for row in rows:
        Tag.objects.get_or_create(label=row["tag"])


def import_renewals(rows):
    Renewal.objects.bulk_create(Renewal(book_id=row["book"]) for row in rows)


def import_reviews(rows):
    Review.objects.bulk_create(Review(book_id=row["book"], posted=row["at"]) for row in rows)
    Quote.objects.bulk_create(Quote(book_id=row["book"], posted=row["at"]) for row in rows)
