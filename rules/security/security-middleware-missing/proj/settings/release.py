import os

from .base import *

# On unless the variable says otherwise: the deployed stack runs without the middleware.
SKIP_CSRF = os.environ.get("SKIP_CSRF", "1") == "1"

if SKIP_CSRF:
    # ruleid: DJR404
    MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")
