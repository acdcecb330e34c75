from .base import *

# ruleid: DJR403
ALLOWED_HOSTS = ["*"]
