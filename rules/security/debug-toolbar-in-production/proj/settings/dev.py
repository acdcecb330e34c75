from .base import *

# ok: DJR408
INSTALLED_APPS = INSTALLED_APPS + ["debug_toolbar"]
