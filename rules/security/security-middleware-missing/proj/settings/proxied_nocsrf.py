from .base import *

# Silencing security.W003 protects no view: CsrfViewMiddleware stays named.
SILENCED_SYSTEM_CHECKS = ["security.W001", "security.W002", "security.W003"]
# ruleid: DJR404
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
]
