from everett.manager import ConfigManager

from .base import *

_config = ConfigManager.basic_config()
# everett's reader: false when TEST_ENV is unset, true only in the test setup.
TEST_ENV = _config("TEST_ENV", default="false", parser=bool)
# On unless the operator opts out: the deployed default.
FAST_LOGIN = _config("FAST_LOGIN", default="true", parser=bool)

if TEST_ENV:
    # ok: DJR407
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if FAST_LOGIN:
    # ruleid: DJR407
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.SHA1PasswordHasher"]
