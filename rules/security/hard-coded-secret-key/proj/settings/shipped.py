import os

from .base import *

# A project template: `startproject --template` renders a fresh key into it.
# ok: DJR402
SECRET_KEY = os.environ.get("SECRET_KEY", "{{ secret_key }}")
