import _pickle
import base64
import copy
import pickle
import pickle as pk

import dill
import json

import jsonpickle
from django.core.cache import cache
from django.db import models
from mylib import loads


def load_model(path):
    with open(path, "rb") as f:
        # ruleid: DJR325
        return pk.load(f)


def load_model_json(path):
    with open(path, "rb") as f:
        # ok: DJR325
        return loads(f)


def cached_report(key):
    raw = cache.get(key)
    # ruleid: DJR325
    return _pickle.loads(raw)


def cached_report_copy(report):
    blob = pk.dumps(report)
    # ok: DJR325
    return pk.loads(blob), copy.deepcopy(report)


def restore(state):
    import cPickle as legacy

    # ruleid: DJR325
    first = legacy.loads(state)
    # ruleid: DJR325
    second = dill.loads(state)
    # ruleid: DJR325
    third = jsonpickle.decode(state)
    # ok: DJR325
    fourth = jsonpickle.decode(jsonpickle.encode(first))
    return first, second, third, fourth


def restore_view(request):
    # ok: DJR325
    return pickle.loads(request.body)


def restore_view_raw(request):
    # ruleid: DJR325
    return _pickle.loads(request.body)


def empty_state():
    # ok: DJR325
    return pk.loads(b"\x80\x04]\x94.")


def read_config(path):
    with open(path, "rb") as f:
        # ok: DJR325
        return json.load(f)


class RouteCache:
    def load(self):
        with open(self.baked_filename, "rb") as fil:
            # ok: DJR325
            return pickle.load(fil)

    def save(self, routes):
        with open(self.baked_filename, "wb") as fil:
            pickle.dump(routes, fil)


class RouteReader:
    def load(self):
        with open(self.baked_filename, "rb") as fil:
            # ruleid: DJR325
            return pickle.load(fil)


def encode(value):
    return base64.b64encode(pickle.dumps(value)).decode()


def decode(value):
    # ok: DJR325
    return pickle.loads(base64.b64decode(value))


def decode_message(value):
    # ruleid: DJR325
    return pickle.loads(base64.b64decode(value))


class PickledField(models.Field):
    def from_db_value(self, value, expression, connection):
        return decode(value)

    def get_db_prep_value(self, value, connection=None, prepared=False):
        return encode(value)


class JSONStoredField(models.Field):
    def to_python(self, value):
        # ruleid: DJR325
        return pickle.loads(value)

    def get_prep_value(self, value):
        return json.dumps(value)


def on_message(packet):
    return decode_message(packet)


ROUTES_FILE = "routes.pickle"


def load_routes():
    with open(ROUTES_FILE, "rb") as fil:
        # ok: DJR325
        return pickle.load(fil)


def save_routes(routes):
    with open(ROUTES_FILE, "wb") as fil:
        pickle.dump(routes, fil)
