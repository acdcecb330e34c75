from .base import *

# ok: DJR409
CORS_ALLOW_ALL_ORIGINS = True
