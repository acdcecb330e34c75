from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from .models import Author, Badge, Book, Flyer, Leaflet, Pamphlet, Sticker, Display, Poster, Receipt, ShelfMove, Format, Licence, Loan, Publisher, Quote, ReadingEvent, OpenLog, Review, SiteSetting, Tag


class BookDetailView(DetailView):
    model = Book
    # flagged: DJR201, reported at the model field
    slug_field = "isbn"


def book_by_title(request, title):
    # flagged: DJR201, reported at the model field
    return Book.objects.filter(title=title, published__gte="2020-01-01")


def books_by_author_email(request, email):
    # flagged: DJR201, reported at the model field
    return Book.objects.filter(author__email=email)


def legacy(request, ref):
    # flagged: DJR201, reported at the model field
    return get_object_or_404(Book, legacy_ref=ref)


def by_pk(request, pk):
    # ok: DJR201
    return Book.objects.get(pk=pk)


def by_code(request, code):
    # ok: DJR201
    return Book.objects.filter(code=code)


def by_handle(request, handle):
    # ok: DJR201
    return Author.objects.get(handle=handle)


def by_author(request, author_id):
    # ok: DJR201
    return Book.objects.filter(author_id=author_id)


def by_shelf(request, shelf):
    # ok: DJR201
    return Book.objects.filter(Q(shelf=shelf))


def by_language(request, language):
    # ok: DJR201
    return Book.objects.filter(language=language)


def by_barcode(request, barcode):
    # ok: DJR201
    return Book.objects.get(barcode=barcode)


def by_internal_ref(request, ref):
    # ok: DJR201
    return Book.objects.get(internal_ref=ref)


def in_print(request):
    # ok: DJR201
    return Book.objects.filter(in_print=True)


def row_only(request, row):
    # ok: DJR201
    return Book.objects.filter(row=row, code="x")


def by_code_and_author_name(request, code, name):
    # ok: DJR201
    return Book.objects.filter(code=code, author__name=name)


def by_dynamic_lookup(request, field, value):
    # ok: DJR201
    return Book.objects.filter(**{field: value})


def titles_in_bulk(request, ids):
    books = Book.objects.in_bulk(ids)
    # ok: DJR201
    return books.get(ids[0])


def printed_legacy(request, ref):
    # ok: DJR201
    return Book.objects.filter(legacy_ref=ref, in_print=True)


def row_or_shelf(request, value):
    # flagged: DJR201, reported at the model field
    return Book.objects.filter(Q(row=value) | Q(shelf=value))


def licence_by_code(code):
    # ok: DJR201 (reference rows only a data migration creates: a tiny table)
    return Licence.objects.get(code=code)


def author_by_handle_and_name(handle, name):
    # ok: DJR201 (the OR-ed Q runs ANDed with handle, which is unique)
    return Author.objects.filter(handle=handle).filter(Q(name=name) | Q(email=name))


def format_by_name(request, name):
    return Format.objects.get(name=name)


def in_print_by_code(request):
    return Book.objects.filter(in_print=True).order_by("code")


def books_if_author_named(request, author_id, name):
    return Book.objects.filter(author_id=author_id, author__name=name)


def loans_by_kind(request, kind, refs):
    return Loan.objects.filter(kind=kind, ref__in=refs)


def publisher_by_name(request, name):
    return Publisher.objects.get(name=name)


def open_loan(request, ticket):
    return Loan.objects.get(returned=False, ticket=ticket)


def books_of_author_since(request, pk):
    author = get_object_or_404(Author, pk=pk)
    # The related manager filters on the ForeignKey: a composite led by it (at Book.author).
    return author.book_set.filter(published__gte="2020-01-01")


def books_of_author_by_title(request, pk):
    author = get_object_or_404(Author, pk=pk)
    # ok: DJR201 (one author's books: the ForeignKey index leaves a handful of rows to sort)
    return author.book_set.order_by("title")


def reassigned(request, isbn, title):
    books = Book.objects.filter(code=isbn)
    # ok: DJR201 (reassigned from itself: still one query, served by the indexed code)
    books = books.filter(title=title)
    return books


def reassigned_unserved(request, name):
    authors = Author.objects.all()
    # Reassigned from itself: the model is still Author (reported at Author.name).
    authors = authors.filter(name=name)
    return authors


def local_import(request, name):
    from .models import Author as Writer

    # ok: DJR201 (imported inside the function and resolved: handle is unique)
    return Writer.objects.filter(handle=name)


def upcoming_readings(request, today):
    return ReadingEvent.objects.filter(held_on__gte=today)


def recent_opens(request, since):
    return OpenLog.objects.filter(opened_at__gte=since)


def setting(request, key):
    return SiteSetting.objects.get(key=key)


def tagged(request, label):
    return Tag.objects.get(label=label)


def recent_reviews(request, pk, since):
    # The finding is at Review.book: a composite (book, posted) led by the key.
    return Review.objects.filter(book_id=pk, posted__gte=since)


def recent_quotes(request, pk, since):
    # ok: DJR201 (Quote's (book, posted) index serves the key and the range)
    return Quote.objects.filter(book_id=pk, posted__gte=since)


def displays(request, theme):
    return Display.objects.filter(theme=theme)


def posters(request, theme):
    return Poster.objects.filter(theme=theme)


def moved_from(request, code):
    return ShelfMove.objects.filter(old_code=code)


def receipt(request, number):
    return Receipt.objects.get(number=number)


def badge(request, label):
    return Badge.objects.filter(label=label)


def printed(request, title):
    return (
        Flyer.objects.filter(title=title),
        Sticker.objects.filter(title=title),
        Leaflet.objects.filter(title=title),
        Pamphlet.objects.filter(theme=title),
    )
