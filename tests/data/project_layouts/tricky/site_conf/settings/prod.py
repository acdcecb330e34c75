from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
globals().update({"LATE": 1})
