import os

from .base import *

if os.environ.get("SENTRY_DSN"):
    INSTALLED_APPS += ["raven.contrib.django"]
# An earlier conditional update does not make this one conditional.
# ruleid: DJR408
INSTALLED_APPS += ["debug_toolbar"]
