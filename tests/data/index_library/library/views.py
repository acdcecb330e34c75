"""Views of the index-proof project; each marked lookup is one runtime case."""

from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Author, Book


class AuthorListView(ListView):
    model = Author
    paginate_by = 20


class BookDetailView(DetailView):
    model = Book
    # planted: missing-index — DetailView looks books up by the unindexed Book.isbn [isbn_detail]
    slug_field = "isbn"


def recent_by_title(request, title):
    # planted: missing-index — equality then range: one composite (title, published) [title_published]
    books = Book.objects.filter(title=title, published__gte="2020-01-01")
    return JsonResponse({"ids": [b.pk for b in books]})


def by_author_email(request, email):
    # planted: missing-index — the span author__email filters on the unindexed Author.email [author_email_span]
    books = Book.objects.filter(author__email=email)
    return JsonResponse({"ids": [b.pk for b in books]})


def legacy(request, ref):
    # planted: missing-index — the UniqueConstraint on legacy_ref is conditional, it does not serve this [legacy_ref_conditional]
    book = get_object_or_404(Book, legacy_ref=ref)
    return JsonResponse({"id": book.pk})


def by_barcode(request, code):
    query = Q(barcode=code)
    # planted: missing-index — a Q object built in a variable filters on the unindexed barcode [barcode_q]
    books = Book.objects.filter(query)
    return JsonResponse({"ids": [b.pk for b in books]})


def by_row(request, row):
    # planted: missing-index — row is the second column of (shelf, row), it cannot lead a search [row_not_leading]
    books = Book.objects.filter(row=row)
    return JsonResponse({"ids": [b.pk for b in books]})


def by_language(request, language):
    # twin: missing-index — language leads unique_together (language, edition) [language_unique_together]
    books = Book.objects.filter(language=language)
    return JsonResponse({"ids": [b.pk for b in books]})


def by_shelf(request, shelf):
    # twin: missing-index — shelf leads the (shelf, row) Meta.indexes entry [shelf_composite]
    books = Book.objects.filter(shelf=shelf)
    return JsonResponse({"ids": [b.pk for b in books]})


def by_internal_ref(request, ref):
    # twin: missing-index — indexed by the hand-written RunSQL migration 0002 [internal_ref_runsql]
    books = Book.objects.filter(internal_ref=ref)
    return JsonResponse({"ids": [b.pk for b in books]})


def by_handle(request, handle):
    # twin: missing-index — Author.handle is unique [author_handle_unique]
    author = Author.objects.filter(handle=handle).first()
    return JsonResponse({"id": author.pk if author else None})


def author_books_since(request, pk):
    author = get_object_or_404(Author, pk=pk)
    # planted: missing-index — a related manager: the author's books since a date, by date; the ForeignKey index alone leaves every book of the author to filter and sort [author_books_since]
    books = author.books.filter(published__gte="2020-01-01").order_by("published")
    return JsonResponse({"ids": [b.pk for b in books]})


def author_books_by_title(request, pk):
    author = get_object_or_404(Author, pk=pk)
    # twin: missing-index — one author's books sorted: the ForeignKey index leaves a handful of rows [author_books_by_title]
    books = author.books.order_by("title")
    return JsonResponse({"ids": [b.pk for b in books]})


def by_edition(request, edition):
    books = Book.objects.select_related("author")
    # planted: missing-index — the queryset reassigned from itself keeps its model: edition is the second column of (language, edition) [edition_reassigned]
    books = books.filter(edition=edition)
    return JsonResponse({"ids": [b.pk for b in books]})


def by_language_edition(request, language, edition):
    books = Book.objects.filter(language=language)
    # twin: missing-index — reassigned from itself: (language, edition) is the unique_together [language_edition_reassigned]
    books = books.filter(edition=edition)
    return JsonResponse({"ids": [b.pk for b in books]})
