from .base import *

# ruleid: DJR405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = True
