import os

from .base import *

# ruleid: DJR409
CORS_ORIGIN_ALLOW_ALL = os.environ.get("CORS_ALLOW_ALL", "true") == "true"
CORS_ALLOW_CREDENTIALS = True
