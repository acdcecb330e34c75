import os

from .base import *

# ruleid: DJR403
ALLOWED_HOSTS = ["*"]
if os.environ.get("RENDER_EXTERNAL_HOSTNAME"):
    # ok: DJR403 -- the wildcard comes from the line above; this only adds a host
    ALLOWED_HOSTS.append(os.environ["RENDER_EXTERNAL_HOSTNAME"])
