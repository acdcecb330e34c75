import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# suite: positive
HASHID_FIELD_SALT = SECRET_KEY
# suite: safe
HASHIDS_SALT = os.environ["HASHIDS_SALT"]
