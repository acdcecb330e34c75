from .base import *

# ok: DJR406
SECURE_SSL_REDIRECT = False
