import os

from .base import *


def get_bool_from_env(name, default_value):
    return os.environ.get(name, str(default_value)).lower() in ("1", "true")


# ruleid: DJR401
DEBUG = get_bool_from_env("DEBUG", True)
