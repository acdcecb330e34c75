from django.conf import settings
from hashids import Hashids as Ids
from mylib import Hashids

SECRET_KEY = "from-the-environment"

# ruleid: DJR326
HASHID_FIELD_SALT = SECRET_KEY
# ok: DJR326
HASHID_FIELD_SALT_BACKUP = SECRET_KEY
# ok: DJR326
HASHIDS_SALT = "a-salt-of-its-own"


def encoder():
    # ruleid: DJR326
    public = Ids(salt=settings.SECRET_KEY, min_length=8)
    # ruleid: DJR326
    legacy = Ids(settings.SECRET_KEY + "orders")
    # ok: DJR326
    fixed = Ids(salt=settings.HASHIDS_SALT, min_length=8)
    # ok: DJR326
    other = Hashids(salt=settings.SECRET_KEY)
    return public, legacy, fixed, other
