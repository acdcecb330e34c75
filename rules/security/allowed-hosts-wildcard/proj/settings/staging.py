from .base import *

# ok: DJR403
ALLOWED_HOSTS = []
