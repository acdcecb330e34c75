import os

from .base import *

# ruleid: DJR403
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")
