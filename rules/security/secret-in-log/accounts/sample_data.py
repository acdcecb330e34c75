"""Sample-data helpers that only the `setup_demo` command imports."""

from django.contrib.auth.models import User


def create_user(email, password):
    user = User.objects.create_user(email, email, password)
    # ok: DJR608
    print("User created (email: {}, password: {})".format(email, password))
    return user
