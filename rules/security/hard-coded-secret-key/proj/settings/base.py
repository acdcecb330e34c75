import os

INSTALLED_APPS = ["django.contrib.auth"]
# ruleid: DJR402
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-q8v!2m#d0r7w$k1z@p4h^x6b&n9c*t3e")
