import os

from .base import *

# ruleid: DJR401
DEBUG = os.environ.get("DEBUG", "False")
