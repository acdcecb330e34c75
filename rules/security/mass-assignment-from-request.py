from django.views import View

from .forms import PostForm
from .models import Post


class PostDetail(View):
    def get(self, request, **kwargs):
        # ok: DJR605
        return Post.objects.get(**kwargs)


def create_post(request):
    # ruleid: DJR605
    post = Post.objects.create(**request.POST.dict())
    data = request.GET.dict()
    # ruleid: DJR605
    matches = Post.objects.filter(**data)
    for key, value in request.POST.items():
        # ruleid: DJR605
        setattr(post, key, value)
    form = PostForm(request.POST)
    if form.is_valid():
        # ok: DJR605
        Post.objects.create(**form.cleaned_data)
    # ok: DJR605
    Post.objects.create(title=request.POST["title"])
    # ok: DJR605
    setattr(post, "title", request.POST["title"])
    # ok: DJR605
    Post.objects.filter(**{"slug": request.GET["slug"]})
    filters = {}
    if status := request.GET.get("status"):
        filters["status"] = status
    # ok: DJR605
    recent = Post.objects.filter(**filters)
    return post, matches, recent


EDITABLE = {"title", "body"}


def rename(request, post):
    names = [f for f in request.POST.getlist("fields") if f in EDITABLE]
    for name in names:
        # ok: DJR605
        setattr(post, name, request.POST[name])


def thumbnail(request, object_type, pk):
    lookup = object_type + "_id"
    # ok: DJR605
    return Post.objects.filter(**{lookup: pk}).first()
