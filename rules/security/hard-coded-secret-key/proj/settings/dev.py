from .base import *

# ok: DJR402
SECRET_KEY = "dev-only-key"
