import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG") == "1"
# ok: DJR408
INSTALLED_APPS = ["django.contrib.auth"]
if DEBUG:
    # ok: DJR408
    INSTALLED_APPS += ["debug_toolbar"]
