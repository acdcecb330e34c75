import base64
import json
import pickle

import jsonpickle


def restore(request):
    raw = base64.b64decode(request.COOKIES["cart"])
    # ruleid: DJR309
    cart = pickle.loads(raw)
    # ruleid: DJR309
    state = jsonpickle.decode(request.body)
    # ok: DJR309
    data = json.loads(request.body)
    # ok: DJR309
    cached = pickle.loads(open("/var/cache/cart.pickle", "rb").read())
    return cart, state, data, cached
