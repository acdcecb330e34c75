import math

from django.http import HttpResponseBadRequest, JsonResponse


def bid(request):
    # ruleid: DJR330
    amount = float(request.POST["amount"])
    if amount > request.user.balance:
        return HttpResponseBadRequest()
    return JsonResponse({"amount": amount})


def bid_checked(request):
    # ok: DJR330
    amount = float(request.POST["amount"])
    if not math.isfinite(amount) or amount > request.user.balance:
        return HttpResponseBadRequest()
    return JsonResponse({"amount": amount})


def nearby(request):
    raw = request.GET.get("lat", "0")
    # ruleid: DJR330
    latitude = float(raw)
    # ok: DJR330
    limit = int(request.GET.get("limit", "10"))
    return JsonResponse({"lat": min(latitude, 90.0), "limit": limit})


def echo(request):
    # ok: DJR330
    return JsonResponse({"zoom": float(request.GET.get("zoom", "1"))})


def nearby_checked(request):
    # ok: DJR330
    latitude = float(request.GET.get("lat", "0"))
    if latitude != latitude:
        return HttpResponseBadRequest()
    return JsonResponse({"lat": latitude})


def scale(factor):
    # ok: DJR330
    return float(factor) * 2
