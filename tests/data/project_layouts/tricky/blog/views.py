from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView, TemplateView

from shop.models import Item as ShopItem

from .models import Post


class PostList(ListView):
    model = Post
    context_object_name = "posts"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = self.get_queryset()[:5]
        return context


class FeaturedPost(DetailView):
    queryset = Post.objects.published()
    template_name = "blog/featured.html"

    def get_object(self, queryset=None):
        return self.get_queryset().first()


class AboutView(TemplateView):
    template_name = "missing.html"


def post_detail(request, pk):
    post = get_object_or_404(Post, pk=pk)
    notes = post.notes.all()
    author = post.author
    posts = Post.objects.filter(author=request.user).select_related("author")
    posts = posts.order_by("title")
    context = {"post": post, "notes": notes}
    context["author"] = author
    return render(request, "blog/detail.html", context)


def tag(request, slug):
    template = "blog/tag.html"
    for post in Post.objects.recent():
        post.owner
    return render(request, template, {"slug": slug, "items": ShopItem.objects.all()})


def summary(request, post: Post, items: "QuerySet[ShopItem]", count: int):
    first = items.first()
    names = items.values_list("name", flat=True)
    return render_to_string("blog/summary.txt", {"post": post, "first": first, "names": names})


def late_import(request):
    from shop.models import Order

    return render(request, "blog/tag.html", {"orders": Order.objects.filter(active=True)})
