import base64
import pickle
import pickle as serializer

import dill
from django.core import signing
from django.core.cache import cache
from django.http import JsonResponse


def restore_cart(request):
    # suite: positive
    cart = pickle.loads(base64.b64decode(request.COOKIES["cart"]))
    # suite: safe
    signed = signing.loads(request.COOKIES["cart_v2"])
    return JsonResponse({"items": len(cart) + len(signed)})


def restore_wizard(request):
    # suite: positive
    state = serializer.loads(request.body)
    return JsonResponse({"step": state["step"]})


def load_model(path):
    with open(path, "rb") as f:
        # suite: positive
        return pickle.load(f)


def shared_report(key):
    # suite: positive
    return dill.loads(cache.get(key))


def deep_copy(value):
    # suite: safe
    return pickle.loads(pickle.dumps(value))
