import os

from .base import *

# ruleid: DJR402
SECRET_KEY = "x" * 60
