import os

SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = ["django.contrib.auth"]
# ok: DJR403
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")
