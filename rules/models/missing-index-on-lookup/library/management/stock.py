"""Helpers the management commands share: run from a shell, never on a request."""

from library.models import Stocktake


def recent_stocktakes(since):
    return list(Stocktake.objects.filter(counted_on__gte=since))
