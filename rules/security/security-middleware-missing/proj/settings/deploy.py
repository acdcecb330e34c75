from .base import *

# ruleid: DJR404
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "proj.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
