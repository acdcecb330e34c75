import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(DJANGO_DEBUG=(bool, False))

SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-default")
DEBUG = env("DJANGO_DEBUG")
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "core",
    "accounts",
    "blog",
    "shop.apps.ShopConfig",
]
AUTH_USER_MODEL = "accounts.Member"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
ROOT_URLCONF = "site_conf.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
    }
]
# Unhashable env defaults (a list, a dict) must not trouble the evaluator.
ADMINS = env.list("ADMINS", default=["ops@example.com"])
CACHES = env.dict("CACHES", default={"default": {"BACKEND": "locmem"}})
