import os

SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = ["django.contrib.auth", "corsheaders"]
# ok: DJR409
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
