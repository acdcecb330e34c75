# DJR110 template-related-access-in-loop: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/views.py ---
from django.db.models import Count
from django.shortcuts import render
from django.views.generic import DetailView, ListView, TemplateView

from .models import Author, Post


class PostListView(ListView):
    model = Post
    queryset = Post._default_manager.select_related("author", "editor").prefetch_related("tags")


def feed(request):
    posts = Post.objects.select_related("author", "editor").prefetch_related("tags")
    return render(request, "app/feed.html", {"posts": posts, "counted": Post.objects.annotate(n=Count("tags"))})


def titles(request):
    return render(request, "app/titles.html", {"posts": Post.objects.all()})


class Dashboard(TemplateView):
    template_name = "app/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = Post.objects.order_by("-id").select_related("author")
        return context


class AuthorDetail(DetailView):
    model = Author
    queryset = Author._default_manager.prefetch_related("edited__author")


class JoinedPosts(ListView):
    template_name = "app/joined.html"
    queryset = Post.objects.select_related("author")


class MorePosts(JoinedPosts):
    # Inherits template_name "app/joined.html", never renders app/post_list.html.
    def get_queryset(self):
        return Post.objects.select_related("author")
