from .base import *

# ruleid: DJR406
SECURE_SSL_REDIRECT = False
