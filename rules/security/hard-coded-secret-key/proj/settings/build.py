from .base import *

# ok: DJR402
SECRET_KEY = "dummykeyforbuilding"
