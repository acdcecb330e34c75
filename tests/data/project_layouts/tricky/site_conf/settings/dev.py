from .base import *  # noqa: F403

DEBUG = True
MIDDLEWARE += ["debug_toolbar.middleware.DebugToolbarMiddleware"]
DATABASES["default"]["NAME"] = "dev.sqlite3"
