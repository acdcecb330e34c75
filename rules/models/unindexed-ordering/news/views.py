from django.views.generic import ListView

from .models import Article, ReadLog, WireLog


class ArticleListView(ListView):
    model = Article


class WireLogListView(ListView):
    model = WireLog


class ReadLogListView(ListView):
    model = ReadLog


def latest(request):
    # flagged: DJR203, reported at the model field
    return Article.objects.order_by("-published_at")[:10]


def newest(request):
    # ok: DJR203
    return Article.objects.order_by("-created")[:10]


def by_kind(request, kind):
    # ok: DJR203
    return Article.objects.filter(kind=kind).order_by("-rank")


def by_slug_order(request):
    # ok: DJR203
    return Article.objects.order_by("slug")
