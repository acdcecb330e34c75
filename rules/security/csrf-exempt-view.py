from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators import csrf
from django.views.decorators.csrf import csrf_exempt, csrf_protect


# ruleid: DJR310
@csrf_exempt
def update_email(request):
    pass


# ruleid: DJR310
@csrf.csrf_exempt
def webhook(request):
    pass


# ruleid: DJR310
@method_decorator(csrf_exempt, name="dispatch")
class Upload(View):
    pass


# ok: DJR310
@csrf_protect
def protected(request):
    pass


# ok: DJR310
@method_decorator(csrf_protect, name="dispatch")
class Protected(View):
    pass
