# DJR110 template-related-access-in-loop: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/views.py ---
from django.db.models import Count
from django.shortcuts import render
from django.views.generic import ListView

from .models import Post


class PostListView(ListView):
    model = Post
    queryset = Post._default_manager.select_related("author", "editor").prefetch_related("tags")


def feed(request):
    posts = Post.objects.select_related("author", "editor").prefetch_related("tags")
    return render(request, "app/feed.html", {"posts": posts, "counted": Post.objects.annotate(n=Count("tags"))})


def titles(request):
    return render(request, "app/titles.html", {"posts": Post.objects.all()})
