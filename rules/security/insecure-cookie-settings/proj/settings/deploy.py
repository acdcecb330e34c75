from .base import *

# The CSRF token lives in the session: no CSRF cookie to mark Secure.
CSRF_USE_SESSIONS = True
# ok: DJR405
SESSION_COOKIE_SECURE = True
