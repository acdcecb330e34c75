import os

from .base import *


def set_from_env(name, default=None):
    if default is None and name not in os.environ:
        return
    globals()[name] = os.environ.get(name, default)


# ruleid: DJR406
SECURE_SSL_REDIRECT = False
set_from_env("SECURE_HSTS_SECONDS")
