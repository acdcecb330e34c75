from .base import *

# ok: DJR406
SECURE_HSTS_SECONDS = 31536000
