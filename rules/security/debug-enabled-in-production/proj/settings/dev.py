from .base import *

# ok: DJR401
DEBUG = True
