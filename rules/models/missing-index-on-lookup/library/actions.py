"""Printing: an admin action for staff, a desk helper for visitors."""

from library.models import Flyer, Leaflet, Pamphlet


def print_flyers(modeladmin, request, queryset):
    for book in queryset:
        Flyer.objects.create(title=book.title)


def hand_out(visitor, title):
    Leaflet.objects.create(title=title)
    Pamphlet.objects.create(theme=title)
