import _pickle
import copy
import pickle
import pickle as pk

import dill
import json

import jsonpickle
from django.core.cache import cache
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
