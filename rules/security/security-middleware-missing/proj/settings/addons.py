import os

from .base import *

# Reported at the list that lacks them, not at the update that only adds to it.
# ruleid: DJR404
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
if os.path.exists("addons/impersonation"):
    # ok: DJR404
    MIDDLEWARE += ["addons.impersonation.middleware.ImpersonationMiddleware"]
