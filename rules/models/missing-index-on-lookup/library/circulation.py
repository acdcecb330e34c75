"""The circulation desk: scans, borrowings, copies and mentions."""

import django_filters
from django.shortcuts import get_object_or_404

from library.models import (
    Book,
    Borrowing,
    Chapter,
    Checkout,
    Citation,
    Copy,
    Fine,
    FineRecord,
    Memo,
    Mention,
    Note,
    Opening,
    Reservation,
    ScanLog,
    Shift,
)


def mentions_of(request, type_id, pk):
    return Mention.objects.filter(target_type_id=type_id, target_id=pk)


def citations_of(request, type_id, pk):
    return Citation.objects.filter(source_type_id=type_id, source_id=pk)


def scan_log(request, pk):
    book = get_object_or_404(Book, pk=pk)
    return list(book.scan_logs.all())


def chapters(request, pk):
    book = get_object_or_404(Book, pk=pk)
    return list(book.chapters.all())


class BorrowLimit:
    """A desk check: a reader may borrow a few books a day (`self.reader` is untyped)."""

    def __init__(self, reader):
        self.reader = reader

    def reached(self, since, limit):
        return self.reader.borrowing_set.filter(borrowed_at__gte=since).count() >= limit


def book_by_copy_tag(request, tag):
    return Book.objects.filter(copies__tag=tag).first()


def books_with_copies_in(request, state):
    return Book.objects.filter(copies__state=state)


class CheckoutFilter(django_filters.FilterSet):
    desk = django_filters.CharFilter(field_name="desk")

    class Meta:
        model = Checkout
        fields = {"due": ["gt", "lt"], "returned": ["gte"]}


def shift_at(request, branch, desk):
    return Shift.objects.filter(branch=branch, desk=desk).first()


def openings_since(request, branch, since):
    return list(Opening.objects.filter(branch=branch, opened__gte=since))


def hold_for(request, code, reader):
    params = {"code": code}
    if reader is not None:
        params = {"reader": reader}
    return Reservation.objects.filter(**params).first()


def holds_since(request, since, extra):
    return list(Reservation.objects.filter(placed__gte=since, **extra))


def fine_by_ref(request, ref):
    return FineRecord.objects.filter(ref=ref).first()


def visible(reader, notes):
    """The notes a reader may see: the queryset it was given, filtered."""
    if reader.is_staff:
        return notes
    return notes.exclude(hidden=True)


class NotesPage:
    def get(self, request, book):
        notes = visible(request.user, Note.objects.filter(book=book))
        return self.pick(notes, request.since)

    def pick(self, notes, since):
        return notes.filter(written__gte=since).first()


class MemoPage:
    def get(self, request, rows):
        self.latest(Memo.objects.all(), request.since)
        return self.latest(rows, request.since)

    def latest(self, rows, since):
        return rows.filter(written__gte=since).first()


def record(request, book, reader):
    Shift.objects.create(branch=request.branch, desk=request.desk)
    Opening.objects.create(branch=request.branch, opened=request.now)
    ScanLog.objects.create(book=book)
    Chapter.objects.create(book=book)
    Borrowing.objects.create(reader=reader, borrowed_at=request.now)
    Copy.objects.create(book=book, tag=request.tag)
    Checkout.objects.create(reader=reader, due=request.now)
    Mention.objects.create(target_id=book.pk)
    Citation.objects.create(source_id=book.pk)
    Reservation.objects.create(reader=reader, code=request.tag, placed=request.now)
    Fine.objects.create(ref=request.tag)
    Note.objects.create(book=book, written=request.now)
    Memo.objects.create(written=request.now)
