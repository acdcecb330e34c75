from django.conf import settings
from django.http import JsonResponse

from .models import Post


def digest(request):
    relation = getattr(settings, "DIGEST_GROUP", "section")
    rows = []
    for post in Post.objects.all():
        # ruleid: DJR140
        rows.append({"title": post.title, "group": str(getattr(post, relation))})
    return JsonResponse({"rows": rows})


def digest_joined(request):
    relation = getattr(settings, "DIGEST_GROUP", "section")
    posts = Post.objects.select_related(relation)
    # ok: DJR140
    rows = [{"title": p.title, "group": str(getattr(p, relation))} for p in posts]
    return JsonResponse({"rows": rows})
