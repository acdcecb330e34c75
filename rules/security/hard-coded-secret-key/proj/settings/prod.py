import os

from .base import *

# ok: DJR402
SECRET_KEY = os.environ["SECRET_KEY"]
