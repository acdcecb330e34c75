import os

from .base import *

# ruleid: DJR402
SECRET_KEY = os.environ.get("SECRET_KEY", "PLEASE_REPLACE_ME")

try:
    from .local_settings import *
except ImportError:
    pass
