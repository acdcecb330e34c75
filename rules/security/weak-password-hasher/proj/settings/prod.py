from .base import *

# ruleid: DJR407
PASSWORD_HASHERS = ["django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher"]
