import math

from django.http import HttpResponseBadRequest, JsonResponse

from .models import Bid


def place_bid(request, pk):
    # suite: positive
    amount = float(request.POST["amount"])
    if amount < Bid.minimum_for(pk):
        return HttpResponseBadRequest()
    Bid.objects.create(lot_id=pk, amount=amount)
    return JsonResponse({"ok": True})


def place_bid_checked(request, pk):
    # suite: safe
    amount = float(request.POST["amount"])
    if not math.isfinite(amount) or amount < Bid.minimum_for(pk):
        return HttpResponseBadRequest()
    Bid.objects.create(lot_id=pk, amount=amount)
    return JsonResponse({"ok": True})


def discount(request):
    # suite: positive
    rate = float(request.GET.get("rate", "0"))
    return JsonResponse({"price": 100 * (1 - min(rate, 0.5))})


def page_size(request):
    # suite: safe
    size = int(request.GET.get("size", "20"))
    return JsonResponse({"size": min(size, 100)})


def remember_zoom(request):
    # suite: safe
    request.session["zoom"] = float(request.GET.get("zoom", "1"))
    return JsonResponse({"ok": True})
