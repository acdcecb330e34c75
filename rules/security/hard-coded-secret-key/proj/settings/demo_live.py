import os

from .base import *

# ok: DJR402
SECRET_KEY = os.environ.get("SECRET_KEY", "")
