from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators import csrf
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.csrf import csrf_exempt as no_csrf
from django.views.decorators.http import require_GET, require_http_methods, require_POST


# ruleid: DJR310
@csrf_exempt
def update_email(request):
    request.user.email = request.POST["email"]


# ruleid: DJR310
@csrf.csrf_exempt
@require_http_methods(["GET", "POST"])
@login_required
def webhook(request):
    pass


# ruleid: DJR310
@method_decorator(csrf_exempt, name="dispatch")
class Upload(LoginRequiredMixin, View):
    def post(self, request):
        pass


# ok: DJR310
@csrf_protect
def protected(request):
    pass


# ok: DJR310
@method_decorator(csrf_protect, name="dispatch")
class Protected(View):
    pass


# ok: DJR310
@csrf_exempt
@require_GET
def feed(request):
    pass


# ok: DJR310
@method_decorator(csrf_exempt, name="dispatch")
class ReadOnly(View):
    def get(self, request):
        pass


# ok: DJR310
@csrf_exempt
@require_POST
def stripe_webhook(request):
    verify_signature(request.headers["Stripe-Signature"], request.body)


class TokenApi(View):
    def post(self, request):
        return verify_token(request.headers["Authorization"])


urlpatterns = [
    # ok: DJR310
    path("api/", csrf_exempt(TokenApi.as_view())),
    # ruleid: DJR310
    path("hook/", csrf_exempt(Upload.as_view())),
    # ok: DJR310
    path("feed/", feed),
]


# ruleid: DJR310
@no_csrf
def update_address(request):
    request.user.address = request.POST["address"]


def look_alike_exempt(view):
    from myproject.csrf import csrf_exempt as lib_exempt  # a look-alike, not Django's

    # ok: DJR310
    @lib_exempt
    def update_phone(request):
        request.user.phone = request.POST["phone"]

    return update_phone
