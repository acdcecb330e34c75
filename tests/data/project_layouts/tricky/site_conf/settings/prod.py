from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
globals().update({"LATE": 1})

if os.environ.get("USE_S3"):
    STORAGE = "s3"
else:
    STORAGE = "local"

if DEBUG:
    INTERNAL_IPS = ["127.0.0.1"]
