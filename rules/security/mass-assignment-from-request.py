from dataclasses import dataclass

from django.views import View
from pydantic import BaseModel

from .forms import PostForm
from .models import CheckList, Post
from .serializers import CheckListSerializer


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


def update_profile(request, profile):
    for attribute, value in request.POST.items():
        match attribute:
            case "bio" | "locale":
                # ok: DJR605
                setattr(profile, attribute, value)
            case _:
                # ruleid: DJR605
                setattr(profile, attribute, value)


def page_after(request, queryset, order_by="-id"):
    column = order_by.lstrip("-")
    after = request.GET.get("after")
    lookup = {f"{column}__lt": after} if order_by[0] == "-" else {f"{column}__gt": after}
    # ok: DJR605
    newer = queryset.filter(**lookup)
    picked = {f"{request.GET['column']}__lt": after}
    # ruleid: DJR605
    older = queryset.filter(**picked)
    return newer, older



def paginate(queryset, after, order_by):
    column = order_by.lstrip("-")
    if order_by.startswith("-"):
        lookup = {f"{column}__lt": after}
    else:
        lookup = {f"{column}__gt": after}
    # ok: DJR605
    return queryset.filter(**lookup)


def recent_posts(request):
    # the client gives the cursor (a value), the code the column (the key)
    return paginate(Post.objects.all(), request.GET.get("after"), "-id")


def paginate_by(queryset, after, order_by):
    lookup = {f"{order_by}__gt": after}
    # ruleid: DJR605
    return queryset.filter(**lookup)


def sorted_posts(request):
    return paginate_by(Post.objects.all(), 0, request.GET.get("order", "id"))


def new_thread(request):
    fields = dict(title=request.POST["title"], summary=request.POST["summary"])
    # ok: DJR605 -- dict(...) with keywords only: the code names every field
    thread = Post(**fields)
    chosen = dict(request.POST.items(), author=request.user)
    # ruleid: DJR605
    draft = Post(**chosen)
    return thread, draft


def add_checklist(request, engagement):
    checklist = CheckListSerializer(data=request.data)
    if not checklist.is_valid():
        return None
    # ok: DJR605
    item = CheckList(**checklist.data)
    # ruleid: DJR605
    draft = CheckList(**checklist.initial_data)
    return item, draft


def add_post_form(request):
    form = PostForm(request.POST)
    if form.is_valid():
        # ruleid: DJR605
        return Post(**form.data.dict())
    return None


class SearchQuery(BaseModel):
    text: str
    page: int


@dataclass
class Filters:
    text: str


class ArchivedPost(Post):
    pass


def search(request):
    # ok: DJR605 -- a pydantic model: no database fields for the client to pick
    query = SearchQuery(**request.GET.dict())
    # ok: DJR605 -- a dataclass of the project, not a Django model
    filters = Filters(**request.GET.dict())
    # ruleid: DJR605 -- a project class whose base may be a model stays reported
    archived = ArchivedPost(**request.POST.dict())
    return query, filters, archived


MODELS = {"post": Post, "checklist": CheckList}


class Grouping(View):
    tables = {"post": Post, "checklist": CheckList}

    def post(self, request):
        kind = request.POST["kind"]
        model = self.tables[kind]
        # ok: DJR605 -- `kind` is one of the table's keys after the lookup raised for others
        return Post(**{f"{kind}_id": request.POST["id"]}), model

    def put(self, request):
        kind = request.POST["kind"]
        model = self.tables.get(kind)
        # ruleid: DJR605 -- .get() does not raise: `kind` is still the client's
        return Post(**{f"{kind}_id": request.POST["id"]}), model


def by_kind(request):
    kind = request.GET["kind"]
    try:
        model = MODELS[kind]
    except KeyError:
        model = Post
    # ruleid: DJR605 -- the failed lookup is caught: `kind` may be anything
    found = model.objects.filter(**{kind: request.GET["q"]})
    if kind == "post":
        # ok: DJR605 -- the client's value equals the code's literal here
        found = Post.objects.filter(**{kind: request.GET["q"]})
    fields = {name: request.POST.get(name) for name in ["title", "body"]}
    # ok: DJR605 -- the keys are the literal list's
    Post.objects.create(**fields)
    chosen = {name: request.POST.get(name) for name in request.POST.getlist("fields")}
    # ruleid: DJR605 -- the client's list names the keys
    Post.objects.create(**chosen)
    return found
