import importlib

from django.http import JsonResponse

from . import reports


def calculate(request):
    expression = request.GET["expr"]
    # suite: positive
    value = eval(expression)
    # suite: safe
    literal = int(request.GET.get("n", "0")) * 2
    return JsonResponse({"value": value, "literal": literal})


def run_snippet(request):
    # suite: positive
    exec(request.POST["code"])
    return JsonResponse({})


def load_plugin(request):
    # suite: positive
    module = importlib.import_module(request.GET["plugin"])
    # suite: safe
    default = importlib.import_module("reports.default")
    return JsonResponse({"m": module.__name__, "d": default.__name__})


def report(request):
    name = request.GET["report"]
    # suite: positive
    handler = getattr(reports, name)
    # suite: safe
    known = getattr(reports, "monthly")
    return JsonResponse({"h": handler(), "k": known()})


ALLOWED = {"monthly": reports.monthly, "yearly": reports.yearly}


def report_checked(request):
    # suite: safe
    handler = ALLOWED.get(request.GET["report"], reports.monthly)
    return JsonResponse({"h": handler()})


def dispatch(request):
    # suite: positive
    handler = globals().get(request.GET["action"])
    return JsonResponse({"h": handler()})


async def run_later(request, loop):
    code = request.POST["code"]
    # suite: positive
    await loop.run_in_executor(None, exec, code)
    return JsonResponse({})
