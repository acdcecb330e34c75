from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.shortcuts import redirect as go
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def after_login(request):
    target = request.GET.get("next", "/")
    # suite: positive
    return redirect(target)


def after_login_checked(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    # suite: safe
    return redirect(target)


def after_logout(request):
    # suite: positive
    return HttpResponseRedirect(request.POST["return_to"])


def after_logout_fixed(request):
    # suite: safe
    return HttpResponseRedirect(reverse("home"))


def jump(request):
    # suite: positive
    return go(request.GET["url"])


def jump_named(request):
    # suite: safe
    return go("account:settings")


def _safe_next(request):
    candidate = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "/"


def after_signup(request):
    # suite: safe
    return redirect(_safe_next(request))


def filtered_list(request):
    # suite: safe
    return redirect("{}?status={}".format(reverse("orders:list"), request.GET["status"]))


def hop(request):
    # suite: positive
    return redirect("%s/welcome/" % request.GET["site"])
