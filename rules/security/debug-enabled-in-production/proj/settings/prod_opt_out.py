import os

from .base import *

DEBUG = False
# The same branch taken when the variable is unset.
if os.environ.get("DISABLE_DB_LOGGING") != "1":
    if not DEBUG:
        # ruleid: DJR401
        DEBUG = True
