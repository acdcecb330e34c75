from django.contrib.auth.views import LoginView
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView


# ruleid: DJR611
class ApiLogin(APIView):
    def post(self, request):
        pass


# ruleid: DJR611
class TokenView(ObtainAuthToken):
    pass


# ruleid: DJR611
class SiteLogin(LoginView):
    template_name = "login.html"


# ok: DJR611
class ThrottledLogin(APIView):
    throttle_classes = [AnonRateThrottle]

    def post(self, request):
        pass


# ok: DJR611
@method_decorator(ratelimit(key="ip", rate="5/m"), name="post")
class LimitedLogin(LoginView):
    pass


# ok: DJR611
class LogoutView(APIView):
    def post(self, request):
        pass


# ok: DJR611
class TokenList(APIView):
    def get(self, request):
        pass
