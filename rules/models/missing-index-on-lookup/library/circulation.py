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
    Mention,
    Opening,
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
