import os

from .base import *


def envsecret(name, default):
    return os.environ.get(name, default)


# ruleid: DJR402
SECRET_KEY = envsecret("SECRET_KEY", "---")
