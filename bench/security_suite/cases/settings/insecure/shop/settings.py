from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# suite: positive
SECRET_KEY = "k3y-0f-th3-sh0p-that-n0b0dy-r0tat3d-s1nce-2019"

# suite: positive
DEBUG = True

# suite: positive
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "corsheaders",
    "shop",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "shop.urls"

# suite: positive
SESSION_COOKIE_SECURE = False

# suite: positive
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CORS_ALLOW_CREDENTIALS = True
# suite: positive
CORS_ALLOW_ALL_ORIGINS = True

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
