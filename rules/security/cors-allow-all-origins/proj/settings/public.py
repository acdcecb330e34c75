from .base import *

# Public read-only API: browsers send no cookies to other origins without credentials.
# ok: DJR409
CORS_ALLOW_ALL_ORIGINS = True
