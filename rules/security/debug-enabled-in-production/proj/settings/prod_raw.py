import os

from .base import *

# ruleid: DJR401
DEBUG = os.getenv("DEBUG", False)
