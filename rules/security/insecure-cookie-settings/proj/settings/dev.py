from .base import *

# ok: DJR405
SESSION_COOKIE_SECURE = False
