"""A helper the command and the views both import: its print reaches the server's log."""

from django.contrib.auth.models import User


def register(email, password):
    user = User.objects.create_user(email, email, password)
    # ruleid: DJR608
    print("registered {} with {}".format(email, password))
    return user
