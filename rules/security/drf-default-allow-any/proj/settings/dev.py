from .base import *

# ok: DJR601
REST_FRAMEWORK = {}
