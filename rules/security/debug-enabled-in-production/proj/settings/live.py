import os

from .base import *

# ok: DJR401
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
