import os

from .base import *

DEBUG = False
# An operator's opt-in flag, off when the variable is unset.
if os.environ.get("ENABLE_DB_LOGGING") == "1":
    if not DEBUG:
        # ok: DJR401
        DEBUG = True
