import os

from .base import *


def set_option(name, value):
    globals()[name] = os.environ.get(name, value)


# ok: DJR406
SECURE_SSL_REDIRECT = False
set_option("SECURE_HSTS_SECONDS", 31536000)
