import os

from .base import *

# A CI switch, off unless the variable is set: the deployed stack keeps the middleware.
CI_TEST_RUN = os.environ.get("CI_TEST_RUN", "") == "1"

if CI_TEST_RUN:
    # ok: DJR404
    MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")
