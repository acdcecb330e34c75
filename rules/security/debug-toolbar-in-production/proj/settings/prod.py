from .base import *

# ruleid: DJR408
INSTALLED_APPS = ["django.contrib.auth", "debug_toolbar"]
