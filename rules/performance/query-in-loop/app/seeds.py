import json
import os

from django.conf import settings

from .models import Post


def read_seed(name):
    with open(os.path.join(settings.BASE_DIR, "seeds", name)) as handle:
        return json.load(handle)


def read_upload(path):
    with open(path) as handle:
        return json.load(handle)


def seed_posts():
    for seed in read_seed("posts.json"):
        # ok: DJR104 (the rows are a file the repository ships, at a path the code spells)
        print(Post.objects.filter(title=seed["title"]).exists())
        tags = seed.pop("tags")
        for tag in tags:
            # ok: DJR104 (a part of a shipped row)
            print(Post.objects.filter(title=tag).exists())


def import_posts(options):
    for row in read_upload(options["path"]):
        # ruleid: DJR104 (the path comes from the command line)
        print(Post.objects.filter(title=row["title"]).exists())


def read_seed_or_env(name):
    path = os.path.join(settings.BASE_DIR, "seeds", name)
    path = os.environ.get("SEED_FILE", path)
    with open(path) as handle:
        return json.load(handle)


def seed_posts_from_env():
    for seed in read_seed_or_env("posts.json"):
        # ruleid: DJR104 (the path may come from the environment instead)
        print(Post.objects.filter(title=seed["title"]).exists())
