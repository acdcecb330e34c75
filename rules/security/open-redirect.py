from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.shortcuts import redirect as go
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import UpdateView


def after_login(request):
    # ruleid: DJR314
    return redirect(request.GET["next"])


def back(request):
    target = request.META.get("HTTP_REFERER") or "/"
    # ok: DJR314 -- the Referer is the page the user came from: no forged target
    return HttpResponseRedirect(target)


def back_by_header(request):
    # ok: DJR314
    return HttpResponseRedirect(request.headers.get("Referer", "/"))


def next_or_back(request):
    target = request.GET.get("next") or request.META.get("HTTP_REFERER")
    # ruleid: DJR314
    return HttpResponseRedirect(target)


def back_or_next(request):
    target = request.META.get("HTTP_REFERER") or request.GET["next"]
    # ruleid: DJR314
    return HttpResponseRedirect(target)


def back_to_forwarded(request):
    # ruleid: DJR314
    return HttpResponseRedirect(request.META["HTTP_X_FORWARDED_URL"])


def after_login_checked(request):
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    # ok: DJR314
    return redirect(target)


def after_save_checked_by_keyword(request):
    target = request.POST.get("return_url")
    if url_has_allowed_host_and_scheme(url=target, allowed_hosts=request.get_host()):
        # ok: DJR314 -- the same check, the URL passed by its keyword
        return redirect(target)
    return redirect("/")


def to_post(request):
    slug = request.GET["slug"]
    # ok: DJR314
    return redirect(f"/posts/{slug}/")


def to_named(request):
    # ok: DJR314
    return redirect("blog:index")


def keep_query(request, post):
    # ok: DJR314
    return redirect(f"{post.get_absolute_url()}?{request.GET.urlencode()}")


def bounce(request):
    # ruleid: DJR314
    return redirect(f"{request.GET['host']}/done/")


def keep_mode(request, post):
    # ok: DJR314 -- the code's own URL fills the first field: the query cannot move the host
    return redirect("{}?mode={}".format(post.get_absolute_url(), request.GET["mode"]))


def bounce_formatted(request):
    # ruleid: DJR314
    return redirect("{}/done/".format(request.GET["host"]))


def to_post_formatted(request):
    # ok: DJR314
    return redirect("/posts/{slug}/".format(slug=request.GET["slug"]))


def keep_mode_percent(request, post):
    # ok: DJR314
    return redirect("%s?mode=%s" % (post.get_absolute_url(), request.GET["mode"]))


def bounce_percent(request):
    # ruleid: DJR314
    return redirect("%s/done/" % request.GET["host"])


def _allow_redirect(url):
    return url.startswith("/") and not url.startswith("//")


def after_login_own_check(request):
    target = request.GET.get("next")
    if target and _allow_redirect(target):
        # ok: DJR314
        return redirect(target)
    return redirect("/")


def back_to_referer(request):
    validated = validate_url_domain(request.headers.get("referer", ""))
    if validated:
        # ok: DJR314
        return redirect(validated)
    return redirect("/")


def keep_filters(request):
    url = reverse("checks")
    url += "?" + request.META.get("QUERY_STRING", "")
    # ok: DJR314
    return redirect(url)


def thumbnail_redirect(request, pk):
    found = Post.objects.filter(slug=request.GET["slug"]).first()
    # ok: DJR314
    return redirect(found.image.url)


def after_login_aliased(request):
    # ruleid: DJR314
    return go(request.GET["next"])


def after_login_aliased_checked(request):
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    # ok: DJR314
    return go(target)


class DeleteAttachment(View):
    def post(self, request, pk):
        # ok: DJR314
        return redirect(self.get_redirect_url(request, Post.objects.get(pk=pk)))

    def get_redirect_url(self, request, post):
        if request.GET.get("back") == "list":
            url = reverse("blog:list")
            if request.GET.get("cursor"):
                url += "?cursor=" + request.GET["cursor"]
            return url
        return post.get_absolute_url()


class DeleteAttachmentUnchecked(View):
    def post(self, request, pk):
        # ruleid: DJR314
        return redirect(self.get_redirect_url(request, Post.objects.get(pk=pk)))

    def get_redirect_url(self, request, post):
        if request.GET.get("back"):
            return request.GET["back"]
        return post.get_absolute_url()


def import_chosen(request):
    url = reverse("mail:import") + f"?account={request.POST['account']}"
    # ok: DJR314 -- `url` starts with reverse(): what is appended stays in its query string
    return HttpResponseRedirect(url + f"&{request.GET.urlencode()}")


def import_chosen_elsewhere(request):
    url = request.POST["back"] + f"?account={request.POST['account']}"
    # ruleid: DJR314
    return HttpResponseRedirect(url + f"&{request.GET.urlencode()}")


def import_chosen_appended(request):
    url = reverse("mail:import") + "?step=2"
    url += f"&account={request.POST['account']}"
    url += f"&ticket={request.GET['ticket']}"
    # ok: DJR314 -- `url += e` is `url = url + e`: every append stays in the query string
    return HttpResponseRedirect(url)


def import_chosen_appended_elsewhere(request):
    url = request.POST["back"]
    url += f"?account={request.POST['account']}"
    url += f"&ticket={request.GET['ticket']}"
    # ruleid: DJR314
    return HttpResponseRedirect(url)


def canonical_with_query(request, post):
    # ok: DJR314 -- joined after the code's own URL: the query cannot move the host
    return HttpResponseRedirect("?".join([post.get_absolute_url(), request.META["QUERY_STRING"]]))


def joined_from_request(request):
    # ruleid: DJR314
    return HttpResponseRedirect("?".join([request.GET["back"], request.META["QUERY_STRING"]]))


def _referer(request, default="/"):
    return request.META.get("HTTP_REFERER", default)


def back_through_helper(request):
    # ok: DJR314 -- the helper hands back the Referer only
    return HttpResponseRedirect(_referer(request))


def back_through_helper_or_next(request):
    # ruleid: DJR314
    return HttpResponseRedirect(_referer(request, default=request.GET["next"]))


def after_login_resolved(request):
    target = request.GET.get("next", "/")
    try:
        resolve(target)
    except Resolver404:
        target = "/"
    # ruleid: DJR314 -- no URLconf read here: resolve() might match any path (see tests/security)
    return redirect(target)


def back_or_home(request):
    target = request.META.get("HTTP_REFERER")
    if not target:
        target = "/"
    # ok: DJR314 -- the Referer on one path, a literal on the other
    return HttpResponseRedirect(target)


def back_or_next_by_branch(request):
    if request.GET.get("back"):
        target = request.META.get("HTTP_REFERER")
    else:
        target = request.GET["next"]
    # ruleid: DJR314 -- two reads of the request reach the redirect: not the Referer only
    return HttpResponseRedirect(target)


class NextAfterSave(UpdateView):
    def get_success_url(self):
        if "next" in self.request.GET:
            # ruleid: DJR314
            return self.request.GET["next"]
        return super().get_success_url()


class NextAfterSaveChecked(UpdateView):
    def get_success_url(self):
        target = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            # ok: DJR314 -- checked before Django redirects to it
            return target
        return super().get_success_url()


class NextAfterLogin(UpdateView):
    def get_success_url(self):
        target = self.request.GET.get("next", "")
        url_is_safe = url_has_allowed_host_and_scheme(url=target, allowed_hosts=None)
        if not url_is_safe:
            return "/"
        # ok: DJR314 -- the check's verdict kept in a name, as Django's LoginView does
        return target


class NextFromTheForm(UpdateView):
    def get_success_url(self):
        # ok: DJR314 -- a POST field: Django calls the hook after the site's own form was sent
        return self.request.POST.get("next", "/")


class LoginThenNext(UpdateView):
    def get_success_url(self):
        target = super().get_success_url()
        if not target:
            # Django's get_success_url() returns a URL or raises: this branch never runs.
            target = self.request.GET.get("next", "")
        # ok: DJR314
        return target


class LoginThenNextUnchecked(UpdateView):
    def get_success_url(self):
        target = super().get_success_url()
        if target == "/":
            target = self.request.GET.get("next", "")
        # ruleid: DJR314
        return target


def next_if_safe(request):
    target = request.GET.get("next", "")
    url_is_safe = url_has_allowed_host_and_scheme(url=target, allowed_hosts=None)
    # ok: DJR314 -- the verdict picks the arm: the unchecked URL is never the result
    return HttpResponseRedirect((target if url_is_safe else "") or "/")


def next_and_safe(request):
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(url=target, allowed_hosts=None)
    # ok: DJR314
    return HttpResponseRedirect(safe and target or "/")


def next_if_unsafe(request):
    target = request.GET.get("next", "")
    url_is_safe = url_has_allowed_host_and_scheme(url=target, allowed_hosts=None)
    # ruleid: DJR314
    return HttpResponseRedirect("/" if url_is_safe else target)


def proxied_login(request):
    target = request.GET.get("next", "")
    if target:
        target = f"?next={target}"
    # ok: DJR314 -- "/" then "" or "?next=...": a path of this site, the value only in its query
    return redirect(f"/{target}")


def proxied_login_rooted(request):
    target = request.GET.get("next", "")
    if target:
        target = "/" + target
    # ruleid: DJR314 -- "/" then "/..." is `//host`
    return redirect(f"/{target}")


def proxied_login_maybe(request):
    target = request.GET.get("next", "")
    if request.GET.get("wrap"):
        target = f"?next={target}"
    # ruleid: DJR314 -- unwrapped on the other path
    return redirect("/" + target)
