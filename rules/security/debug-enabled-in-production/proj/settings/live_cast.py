import os

from .base import *

# ok: DJR401 -- cast: "0" and unset are False
DEBUG = bool(int(os.getenv("DEBUG", "0")))
