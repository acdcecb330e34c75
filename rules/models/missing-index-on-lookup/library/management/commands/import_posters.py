"""Loads every publisher's new posters from its feed."""

from django.core.management.base import BaseCommand

from library.models import Pamphlet, Poster


class Command(BaseCommand):
    def handle(self, *args, **options):
        for row in options["rows"]:
            Poster.objects.create(theme=row["theme"])
            Pamphlet.objects.create(theme=row["theme"])
