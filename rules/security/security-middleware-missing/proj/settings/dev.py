from .base import *

# ok: DJR404
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
