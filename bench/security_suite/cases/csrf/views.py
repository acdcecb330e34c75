from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.csrf import csrf_exempt as no_csrf
from django.views.decorators.http import require_GET

from .models import Order


# suite: positive
@csrf_exempt
def cancel_order(request, pk):
    Order.objects.filter(pk=pk, owner=request.user).update(status="cancelled")
    return JsonResponse({"ok": True})


# suite: positive
@no_csrf
def update_address(request):
    request.user.profile.address = request.POST["address"]
    request.user.profile.save()
    return JsonResponse({"ok": True})


# suite: safe
@require_GET
def order_status(request, pk):
    return JsonResponse({"status": Order.objects.get(pk=pk, owner=request.user).status})
