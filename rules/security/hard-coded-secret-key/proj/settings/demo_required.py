import os

from .base import *


def envsecret(name, default=None):
    return os.environ[name] if default is None else os.environ.get(name, default)


# ok: DJR402
SECRET_KEY = envsecret("SECRET_KEY")
