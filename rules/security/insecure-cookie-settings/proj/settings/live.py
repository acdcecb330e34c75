from .base import *

# ok: DJR405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
