from .base import *

# The project states that its front server sets these headers (Django's own checks silenced).
SILENCED_SYSTEM_CHECKS = ["security.W001", "security.W002"]
# ok: DJR404
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
