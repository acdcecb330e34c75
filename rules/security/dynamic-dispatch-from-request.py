import importlib

ACTIONS = {"archive": print}


def run(request, post):
    action = request.POST["action"]
    # ruleid: DJR307
    handler = globals()[action]
    # ruleid: DJR307
    value = getattr(post, request.GET["field"])
    # ruleid: DJR307
    backend = importlib.import_module(request.GET["backend"])
    # ok: DJR307
    chosen = ACTIONS[action]
    # ok: DJR307
    title = getattr(post, "title")
    # ok: DJR307
    settings_module = importlib.import_module("django.conf")
    return handler, value, backend, chosen, title, settings_module


class Commands:
    def dispatch(self, request):
        command = request.GET["command"]
        # ok: DJR307
        handler = getattr(self, "handle_%s" % command, None)
        # ok: DJR307
        fallback = getattr(self, f"dispatch_{command}", None)
        # ruleid: DJR307
        anything = getattr(self, "%s" % command, None)
        # ruleid: DJR307
        suffixed = getattr(self, command + "_handler", None)
        return handler, fallback, anything, suffixed


def checked(request, post):
    field = request.GET["field"]
    if field not in {"title", "slug"}:
        raise ValueError(field)
    # ok: DJR307
    return getattr(post, field)


def copy_fields(request, source, target):
    for field in request.POST.getlist("fields"):
        # ok: DJR307
        setattr(target, field, getattr(source, field))


def inventory_id(request, row):
    kind = request.GET["kind"]
    if kind == "property" or kind == "tax_lot":
        # ok: DJR307 -- `kind` equals one of the code's literals here
        return getattr(row, f"{kind}_id")
    # ruleid: DJR307
    return getattr(row, f"{kind}_id")
