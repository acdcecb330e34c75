from .base import *

# The toolbar stays where base.py put it, under `if DEBUG:` (DEBUG unset: off).
# ok: DJR408
INSTALLED_APPS += ["whitenoise"]
