from .base import *

# ok: DJR404
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "proj.middleware.ApiAwareCsrfMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
