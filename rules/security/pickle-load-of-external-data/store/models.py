import pickle
from base64 import b64decode, b64encode

from django.db import models


class ServerConfig(models.Model):
    key = models.CharField(max_length=64)
    value = models.BinaryField()


class UserPreferences(models.Model):
    # Filled only by the property's setter below, with pickle output.
    settings_pickled = models.TextField(blank=True)

    def _set_settings(self, data):
        self.settings_pickled = b64encode(pickle.dumps(data)).decode()

    def _get_settings(self):
        # ok: DJR325
        return pickle.loads(b64decode(str(self.settings_pickled).encode()))

    settings = property(_get_settings, _set_settings)


class QueuedBatch(models.Model):
    pickled_data = models.TextField()


class Snapshot(models.Model):
    # Written from the request in batches.py as well as with pickle output.
    frozen_state = models.TextField()
