"""Fills a developer's database with a few displays to click through."""

from django.core.management.base import BaseCommand

from library.models import Display


class Command(BaseCommand):
    def handle(self, *args, **options):
        for theme in ("summer", "poetry", "local history"):
            Display.objects.create(theme=theme)
