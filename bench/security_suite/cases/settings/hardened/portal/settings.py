import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# suite: safe
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

# suite: safe
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

# suite: safe
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "portal.example.org").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "corsheaders",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"

# suite: safe
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000

# suite: safe
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

# suite: safe
CORS_ALLOWED_ORIGINS = ["https://app.example.org"]

DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "portal"}}
