"""`manage.py setup_demo`: creates sample users and shows the operator how to log in."""

import logging

from django.core.management.base import BaseCommand

from accounts.sample_data import create_user
from accounts.signup import register

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--password", default="a")

    def handle(self, *args, **options):
        password = options["password"]
        create_user("admin@example.com", password)
        register("guest@example.com", password)
        # ok: DJR608
        print("Log in as admin@example.com, password: {}".format(password))
        # ruleid: DJR608
        logger.info("demo admin password %s", password)
