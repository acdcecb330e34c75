import os

from .base import *

# ruleid: DJR401
DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() == "true"
