from .base import *

# ok: DJR407
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
