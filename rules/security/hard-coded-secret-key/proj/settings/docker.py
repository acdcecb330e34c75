import os

from .base import *

# ok: DJR402
SECRET_KEY = os.environ.get("SECRET_KEY", "PLEASE_REPLACE_ME")

# Required: the container writes local_settings.py with a generated key.
from .local_settings import *
